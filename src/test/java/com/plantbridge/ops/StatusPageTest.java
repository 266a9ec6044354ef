package com.plantbridge.ops;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.GatewayNodeFixture;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET / on the admin port: the status page people read, drawn from the same data as GET /api/status. */
class StatusPageTest {

    @TempDir
    Path workDir;

    @Test
    void thePageShowsTheNodeItsLeadershipAndEachConnectorsDeliveriesAndQuarantineAndRefreshesItself() throws Exception {
        try (GatewayNodeFixture fixture = GatewayNodeFixture.builder(workDir).tags(2).missingTag("[default]Fixture/Renamed<b>Tag</b>").start()) {
            await().atMost(GatewayNodeFixture.WAIT).until(() -> fixture.connector().path("tagsSubscribed").asInt() == 2);
            fixture.gateway.writeTag(fixture.tagPaths.get(0), 3.0);
            fixture.awaitValues(0, 3.0);
            fixture.sandbox.rejectWhen(r -> r.value() == 66.0, "value <script>alert(1)</script> refused");
            fixture.gateway.writeTag(fixture.tagPaths.get(1), 66.0);
            await().atMost(GatewayNodeFixture.WAIT).until(() -> fixture.connector().path("quarantined").asLong() == 1);

            HttpResponse<String> page = fixture.node.send(HttpRequest.newBuilder(URI.create(fixture.node.adminUrl() + "/")).GET().build());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            String html = page.body();
            var status = fixture.node.status();
            assertThat(html).contains("<meta http-equiv=\"refresh\" content=\"" + StatusPage.REFRESH_SECONDS + "\">")
                    .contains("node " + status.path("node").asText())
                    .contains("<th>Gateway role</th><td>Independent</td>")
                    .contains("LEADER (sends readings)")
                    .contains(status.at("/redundancy/reason").asText())
                    .contains("none (single node: bridge.peer.url is empty)")
                    .contains("<th>Admin API (this page, peer link)</th><td><span class=\"warn\">plain HTTP on loopback only</span></td>")
                    .contains("<td>line-1</td>")
                    .contains("2 of 3 / <a href=\"/api/status/tags?connector=line-1&amp;list=refused\"><span class=\"bad\">1</span></a>")   // subscribed of configured / refused, linked to the list
                    .contains(status.at("/connectors/0/lastDeliveryAt").asText())
                    .contains("value &lt;script&gt;alert(1)&lt;/script&gt; refused")
                    .doesNotContain("<script>")
                    .doesNotContain(TestNode.ADMIN_TOKEN)
                    .doesNotContain(GatewayNodeFixture.TOKEN);
            assertThat(html).containsPattern("<td>[0-9]+ / 0 <span class=\"muted\">\\(60 s\\)</span></td>");   // requests / 429 in the window
        }
    }

    @Test
    void everyValueIsHtmlEscaped() {
        assertThat(StatusPage.esc("<a href=\"x\">Tom & 'Jerry'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    }
}
