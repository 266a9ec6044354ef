package com.plantbridge.ops;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.GwinfoMode;
import com.plantbridge.testing.FreePort;
import com.plantbridge.testing.GatewayNodeFixture;
import com.plantbridge.testing.PairFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health an orchestrator can trust: for each problem a restart does not fix (token refused, OPC UA
 * server gone, redundancy state unreadable, backlog too old, settings not mirrored)
 * liveness stays UP and readiness is DOWN, its check naming why in the details.
 */
class HealthProbesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void eachProblemARestartCannotFixMakesReadinessDownWithItsReasonAndLeavesLivenessUp() throws Exception {
        try (GatewayNodeFixture fixture = GatewayNodeFixture.builder(workDir).property(OutboxBacklogHealthCheck.MAX_AGE_KEY, 2000).start()) {
            fixture.awaitSubscribed();
            await().atMost(GatewayNodeFixture.WAIT).until(() -> fixture.node.managementGet("/observe/health/ready").statusCode() == 200);
            assertThat(checks(fixture, "/observe/health/live")).containsKeys("context", "threads").doesNotContainKeys("opcua-session", "maintainx-connectors");

            // MaintainX refuses the token: readiness names the connector; readings wait (the backlog check follows).
            fixture.sandbox.revoke(GatewayNodeFixture.TOKEN);
            fixture.gateway.writeTag(fixture.tagPaths.get(0), 7.0);
            awaitReadinessDown(fixture, "maintainx-connectors", "Connector line-1: MaintainX refused its token");
            awaitReadinessDown(fixture, "outbox-backlog", "Connector line-1: 1 readings wait");
            assertLive(fixture);
            fixture.sandbox.token(GatewayNodeFixture.TOKEN);

            // The gateway's OPC UA server goes away.
            fixture.gateway.stopOpcUa();
            awaitReadinessDown(fixture, "opcua-session", "No OPC UA session to " + fixture.gateway.opcUaEndpoint());
            assertLive(fixture);
            fixture.gateway.startOpcUa();
            await().atMost(GatewayNodeFixture.WAIT).until(() -> "UP".equals(check(fixture, "/observe/health/ready", "opcua-session").path("status").asText()));

            // The gateway's redundancy state cannot be read.
            fixture.gateway.setGwinfoMode(GwinfoMode.DOWN);
            awaitReadinessDown(fixture, "redundancy-source", "redundancy state not readable from " + fixture.gateway.gatewayUrl());
            assertLive(fixture);
            fixture.gateway.setGwinfoMode(GwinfoMode.NORMAL);
        }
    }

    @Test
    void aMastersNodeWhosePeerNeverConfirmsItsSettingsIsNotReadyButAlive() throws Exception {
        try (GatewayNodeFixture fixture = GatewayNodeFixture.builder(workDir)
                .property("bridge.peer.url", "http://127.0.0.1:" + FreePort.next())
                .property("bridge.peer.secret", PairFixture.SECRET)
                .property("bridge.mirror.check-interval", 1000).start()) {
            awaitReadinessDown(fixture, "settings-mirror", "the Backup's node has not confirmed settings version 1");
            assertLive(fixture);
        }
    }

    private static void assertLive(GatewayNodeFixture fixture) throws Exception {
        var live = fixture.node.managementGet("/observe/health/live?exposureLevel=full&data=true");
        assertThat(live.statusCode()).as("liveness: %s", live.body()).isEqualTo(200);
    }

    private static void awaitReadinessDown(GatewayNodeFixture fixture, String name, String reason) {
        await().atMost(GatewayNodeFixture.WAIT).untilAsserted(() -> {
            var ready = fixture.node.managementGet("/observe/health/ready?exposureLevel=full&data=true");
            assertThat(ready.statusCode()).as("readiness: %s", ready.body()).isEqualTo(503);
            JsonNode check = checks(ready.body()).get(name);
            assertThat(check).as("check %s in %s", name, ready.body()).isNotNull();
            assertThat(check.path("status").asText()).as("check %s: %s", name, check).isEqualTo("DOWN");
            // Camel 4.17's health JSON writes '/' as "\\/" inside the text itself (measured): compared without it.
            assertThat(check.path("message").asText().replace("\\/", "/")).as("check %s: %s", name, check).contains(reason);
            assertThat(check.path("data")).as("check %s has its details", name).isNotEmpty();
        });
    }

    private static JsonNode check(GatewayNodeFixture fixture, String path, String name) throws Exception {
        return checks(fixture.node.managementGet(path + "?exposureLevel=full&data=true").body()).get(name);
    }

    private static Map<String, JsonNode> checks(GatewayNodeFixture fixture, String path) throws Exception {
        return checks(fixture.node.managementGet(path + "?exposureLevel=full&data=true").body());
    }

    private static Map<String, JsonNode> checks(String body) throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode check : JSON.readTree(body).path("checks")) {
            byName.put(check.path("name").asText(), check);
        }
        return byName;
    }
}
