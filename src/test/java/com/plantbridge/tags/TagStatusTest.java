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
}
