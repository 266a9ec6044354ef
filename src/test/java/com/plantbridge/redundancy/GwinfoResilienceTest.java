package com.plantbridge.redundancy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.GwinfoMode;
import com.plantbridge.testing.FreePort;
import com.plantbridge.testing.GatewayNodeFixture;
import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow or busy gateway is not a failover: gwinfo answers that come late, a dropped request or a
 * 500 are retried and logged, and the node keeps its leadership and every reading. A node that cannot
 * read gwinfo at all says so once, naming the URL, in status and in readiness.
 */
class GwinfoResilienceTest {

    @TempDir
    Path workDir;
    private GatewayNodeFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void slowAnswersADroppedRequestAndA500NeverCostLeadershipOrReadings() throws Exception {
        try (LogCapture log = new LogCapture()) {
            fixture = GatewayNodeFixture.builder(workDir).tags(2).start();
            fixture.awaitSubscribed();
            await().atMost(GatewayNodeFixture.WAIT).until(() -> redundancy().get("leader").asBoolean());
            String since = redundancy().get("since").asText();

            List<Double> written = new ArrayList<>();
            // Answers three times the poll interval late, for a while (below the read timeout).
            fixture.gateway.setGwinfoDelay(Duration.ofMillis(1_500));
            writeWhileLeading(written, 0, 20);
            fixture.gateway.setGwinfoDelay(Duration.ZERO);
            // One request dropped without an answer, then one 500.
            fixture.gateway.misbehaveNextGwinfo(1, GwinfoMode.DROP);
            writeWhileLeading(written, 20, 8);
            fixture.gateway.misbehaveNextGwinfo(1, GwinfoMode.HTTP_500);
            writeWhileLeading(written, 28, 8);

            fixture.awaitValues(0, written.stream().filter(v -> v % 2 == 0).toArray(Double[]::new));
            fixture.awaitValues(1, written.stream().filter(v -> v % 2 == 1).toArray(Double[]::new));
            assertThat(redundancy().get("since").asText()).as("leadership was never given up").isEqualTo(since);
            assertThat(fixture.connector().get("discardedOnStandby").asInt()).isZero();
            assertThat(log.lines(Level.INFO, "Leadership given up")).isEmpty();
            assertThat(log.lines(Level.WARN, "cannot be read from " + fixture.gateway.gatewayUrl() + "/system/gwinfo"))
                    .as("the dropped request and the 500 are logged").isNotEmpty();
        }
    }

    /** Writes {@code count} values alternating over the two tags, 150 ms apart, checking leadership in between. */
    private void writeWhileLeading(List<Double> written, int first, int count) throws Exception {
        for (int i = first; i < first + count; i++) {
            double value = 100 + i;
            fixture.gateway.writeTag(fixture.tagPaths.get(i % 2), value);
            written.add(value);
            Thread.sleep(150);
            assertThat(redundancy().get("leader").asBoolean()).as("leader while writing value %s", value).isTrue();
        }
    }

    @Test
    void aNodeThatCannotReadGwinfoFromTheStartSaysSoOnceWithTheUrlInStatusAndReadiness() throws Exception {
        String url = "http://127.0.0.1:" + FreePort.next();
        try (LogCapture log = new LogCapture()) {
            fixture = GatewayNodeFixture.builder(workDir).property("ignition.gateway.url", url).start();
            await().atMost(GatewayNodeFixture.WAIT).until(() -> !redundancy().get("readProblem").isNull()
                    && redundancy().get("failedReads").asInt() >= 6);

            JsonNode redundancy = redundancy();
            assertThat(redundancy.get("leader").asBoolean()).isFalse();
            assertThat(redundancy.get("location").asText()).isEqualTo(url + "/system/gwinfo");
            assertThat(redundancy.get("readProblem").asText()).contains("Connect");
            assertThat(redundancy.get("reason").asText()).startsWith("gateway state unknown");
            var warnings = log.lines(Level.WARN, url + "/system/gwinfo");
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).message()).contains("Connect");
            var ready = fixture.node.managementGet("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("redundancy-source");
        }
    }

    private JsonNode redundancy() {
        return fixture.node.status().get("redundancy");
    }
}
