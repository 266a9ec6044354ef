package com.plantbridge.ops;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.testing.CapturedLogs;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every log line of a pair, with the product's log configuration turned up to TRACE (so DEBUG and
 * every other level are in), while it
 * starts with a MaintainX token, a peer secret, an admin token and an OPC UA password, mirrors
 * settings, sends a reading, takes a settings change and refuses a YAML syntax error on the token
 * line: none of the secrets appears, nor in status or API error answers.
 */
class NoSecretInLogsTest {

    private static final String OPC_UA_PASSWORD = "opcua-password-5d1c3b7e9f20";
    private static final String MAINTAINX_TOKEN = "pair-token";

    /** Every logger at TRACE slows a pair down many times over. */
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void noSecretReachesAnyLogLineEvenAtTrace() throws Exception {
        List<String> secrets = List.of(PairFixture.SECRET, TestNode.ADMIN_TOKEN, OPC_UA_PASSWORD, MAINTAINX_TOKEN);
        try (CapturedLogs logs = CapturedLogs.atLevelWithProductConfig(Level.TRACE);
             PairFixture pair = PairFixture.withOpcUaUser(workDir, "opcuauser", OPC_UA_PASSWORD)) {
            await().atMost(WAIT).until(() -> pair.masterNode.status().at("/settings/confirmedVersion").asLong() == 1);
            pair.awaitSoleLeader(pair.masterNode, WAIT);
            pair.gateways.master().writeTag(pair.tagPath, 12.0);
            await().atMost(WAIT).until(() -> pair.sendersOf(12.0).equals(List.of("master-node")));

            assertThat(pair.masterNode.put("/api/settings", "application/yaml",
                    pair.settings().replace("token: " + MAINTAINX_TOKEN, "token: " + MAINTAINX_TOKEN + "\n    deadband: 0.5")).statusCode())
                    .isEqualTo(202);
            await().atMost(WAIT).until(() -> pair.backupNode.status().at("/settings/version").asLong() == 2);

            String broken = pair.settings().replace("token: " + MAINTAINX_TOKEN, "token: \"" + MAINTAINX_TOKEN);
            HttpResponse<String> refused = pair.masterNode.put("/api/settings", "application/yaml", broken);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("not valid YAML at line ");
            Files.writeString(pair.settingsFile(pair.masterNode), broken);
            await().atMost(WAIT).until(() -> logs.containing(SettingsMirror.class, "Settings change refused").size() == 1);
            Thread.sleep(2_000);   // four polls of the settings file
            assertThat(logs.containing(SettingsMirror.class, "Settings change refused")).as("a refused file is logged once per change").hasSize(1);
            assertThat(pair.masterNode.send(HttpRequest.newBuilder(URI.create(pair.masterNode.adminUrl() + "/api/module/disable"))
                    .header("Authorization", "Bearer not-the-token").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(401);

            for (String answer : List.of(refused.body(), pair.masterNode.status().toString(), pair.backupNode.status().toString(),
                    pair.masterNode.health().body(), pair.backupNode.health().body())) {
                for (String secret : secrets) {
                    assertThat(answer).doesNotContain(secret);
                }
            }
            List<CapturedLogs.Line> lines = logs.lines();
            assertThat(lines).as("the capture sees HttpClient's DEBUG lines").anyMatch(l -> l.level() == Level.DEBUG
                    && l.logger().startsWith("org.apache.hc.client5"));
            assertThat(lines).as("the capture sees Camel's DEBUG lines").anyMatch(l -> l.level() == Level.DEBUG
                    && l.logger().startsWith("org.apache.camel"));
            System.out.printf("%d log lines captured at TRACE%n", lines.size());
            for (CapturedLogs.Line line : lines) {
                if (line.logger().startsWith("com.plantbridge.sim")) {
                    continue;   // the simulated gateways and MaintainX are test servers, not the product
                }
                for (String secret : secrets) {
                    assertThat(line.text()).as("%s", line).doesNotContain(secret);
                }
            }
        }
        assertThat(org.apache.logging.log4j.LogManager.getRootLogger().getLevel()).as("the test log configuration is back").isEqualTo(Level.WARN);
    }
}
