package com.plantbridge.tags;

import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.GatewayNodeFixture;
import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the gateway refuses and what cannot be a meter reading is visible per connector: counts and
 * reasons in status, one log line per subscription, and the connector degraded in readiness, while
 * the tags that work keep delivering.
 */
class TagStatusTest {

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
    void missingTagsAreListedWithTheGatewaysReasonAndTheConnectorIsNotSubscribedButTheOthersDeliver() throws Exception {
        try (LogCapture log = new LogCapture()) {
            fixture = GatewayNodeFixture.builder(workDir).tags(3)
                    .missingTag("[default]Fixture/Typo-1").missingTag("[default]Renamed/Folder/Level")
                    .start();
            await().atMost(GatewayNodeFixture.WAIT).until(() -> fixture.connector().get("tagsSubscribed").asInt() == 3);

            JsonNode connector = fixture.connector();
            assertThat(connector.get("subscribed").asBoolean()).isFalse();
            assertThat(connector.get("tagsRefused").asInt()).isEqualTo(2);
            assertThat(connector.get("refused").findValuesAsText("tag"))
                    .containsExactlyInAnyOrder("[default]Fixture/Typo-1", "[default]Renamed/Folder/Level");
            assertThat(connector.get("refused").findValuesAsText("reason")).containsOnly("Bad_NodeIdUnknown");
            var lines = log.lines(Level.WARN, "Connector " + GatewayNodeFixture.CONNECTOR + ": subscribed 3 of 5 tags");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).message()).contains("2 refused").contains("Bad_NodeIdUnknown=2");
            assertThat(log.lines()).noneMatch(l -> l.level().isMoreSpecificThan(Level.WARN) && l.message().contains("Typo-1"));

            var ready = fixture.node.managementGet("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("tags").contains("DOWN");
            assertThat(fixture.node.managementGet("/observe/health/live").statusCode()).isEqualTo(200);

            fixture.gateway.writeTag(fixture.tagPaths.get(2), 7.0);
            fixture.awaitValues(2, 7.0);
        }
    }

    @Test
    void stringAndDateTimeTagsAreKeptOutOfReadingsCountedAndListedWithTheirReason() throws Exception {
        fixture = GatewayNodeFixture.builder(workDir).tags(1)
                .tag("Recipe", "recipe-a").tag("BatchStart", Instant.parse("2026-01-01T00:00:00Z"))
                .start();
        fixture.awaitSubscribed();
        await().atMost(GatewayNodeFixture.WAIT).until(() -> fixture.connector().get("tagsNotNumeric").asInt() == 2);

        JsonNode notNumeric = fixture.connector().get("notNumeric");
        assertThat(notNumeric.findValuesAsText("tag")).containsExactlyInAnyOrder(fixture.tagPaths.get(1), fixture.tagPaths.get(2));
        assertThat(notNumeric.findValuesAsText("reason")).anyMatch(r -> r.contains("String")).anyMatch(r -> r.contains("DateTime"));
        assertThat(fixture.connector().get("subscribed").asBoolean()).as("the gateway has every tag").isTrue();

        fixture.gateway.writeTag(fixture.tagPaths.get(1), "recipe-b");
        fixture.gateway.writeTag(fixture.tagPaths.get(0), 3.0);
        fixture.awaitValues(0, 3.0);
        assertThat(fixture.values(1)).isEmpty();
        assertThat(fixture.values(2)).isEmpty();
    }

    @Test
    void theRefusedTagsArePagedInPathOrderWithoutATokenAndABadPageIsRefusedNamingTheParameter() throws Exception {
        fixture = GatewayNodeFixture.builder(workDir).tags(1)
                .missingTag("[default]Missing/C").missingTag("[default]Missing/A").missingTag("[default]Missing/B")
                .start();
        await().atMost(GatewayNodeFixture.WAIT).until(() -> fixture.connector().get("tagsRefused").asInt() == 3);

        JsonNode first = page("connector=line-1&list=refused&limit=2");
        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(first.get("items").findValuesAsText("tag")).containsExactly("[default]Missing/A", "[default]Missing/B");
        assertThat(first.get("nextOffset").asInt()).isEqualTo(2);
        JsonNode second = page("connector=line-1&list=refused&offset=2&limit=2");
        assertThat(second.get("items").findValuesAsText("tag")).containsExactly("[default]Missing/C");
        assertThat(second.get("nextOffset").isNull()).isTrue();
        assertThat(page("connector=line-1&list=refused&offset=9").get("items")).isEmpty();

        assertThat(get("connector=line-1&list=everything")).satisfies(a -> assertThat(a.statusCode()).isEqualTo(400))
                .satisfies(a -> assertThat(a.body()).contains("list must be one of refused, notNumeric"));
        assertThat(get("connector=line-1&list=refused&limit=1001").body()).contains("limit must be from 1 to 1000");
        assertThat(get("connector=line-1&list=refused&offset=-1").body()).contains("offset must be 0 or more");
        assertThat(get("connector=line-1&list=refused&limit=ten").body()).contains("limit must be a whole number");
        assertThat(get("connector=nope&list=refused").statusCode()).isEqualTo(400);
        assertThat(get("connector=line-1").body()).contains("list is required");
    }

    /** GET /api/status/tags as anyone may call it: no token. */
    private java.net.http.HttpResponse<String> get(String query) {
        return fixture.node.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.node.adminUrl() + "/api/status/tags?" + query)).GET().build());
    }

    private JsonNode page(String query) throws Exception {
        java.net.http.HttpResponse<String> answer = get(query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
    }
}
