package com.plantbridge.mirror;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.CapturedLogs;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.TestNode;

import static com.plantbridge.testing.PairFixture.WAIT;
import static com.plantbridge.testing.PairFixture.isLeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Module settings edited on the Master's node only, mirrored to the Backup's node, read-only there. */
class SettingsMirrorTest {

    @TempDir
    Path workDir;
    private PairFixture pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    private static JsonNode settings(TestNode node) {
        return node.status().get("settings");
    }

    private void awaitInSync() {
        await().atMost(WAIT).until(() -> settings(pair.masterNode).get("version").asLong() > 0
                && settings(pair.backupNode).get("version").asLong() == settings(pair.masterNode).get("version").asLong()
                && settings(pair.masterNode).get("confirmedVersion").asLong() == settings(pair.masterNode).get("version").asLong());
    }

    private static HttpResponse<String> put(TestNode node, String body) {
        return node.put("/api/settings", "application/yaml", body);
    }

    @Test
    void anEditOnTheMasterIsInForceOnTheBackupWhichSendsWithItAfterFailover() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        long before = settings(pair.masterNode).get("version").asLong();
        String newTag = "[default]Pair/Added";
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        pair.gateways.master().addTag(newTag, 0.0);
        pair.gateways.backup().addTag(newTag, 0.0);
        pair.gateways.backup().writeTag(newTag, 0.0, StatusCodes.Good, past);
        pair.sandbox.meter(9_999, newTag).history(9_999, 0.0, past);

        Files.writeString(pair.settingsFile(pair.masterNode), pair.settings()
                + "      - path: \"" + newTag + "\"\n        meter-id: 9999\n");
        long saved = System.nanoTime();

        await().atMost(WAIT).until(() -> settings(pair.backupNode).get("version").asLong() == before + 1);
        System.out.printf("settings change in force on the Backup's node %d ms after the save%n", (System.nanoTime() - saved) / 1_000_000);
        assertThat(Files.readString(pair.settingsFile(pair.backupNode))).contains(newTag);
        assertThat(pair.backupNode.connectorStatus("line-1").get("tags").asInt()).isEqualTo(2);
        awaitInSync();

        pair.gateways.failover();
        pair.awaitSoleLeader(pair.backupNode);
        pair.gateways.backup().writeTag(newTag, 42.0);
        await().atMost(WAIT).until(() -> pair.sandbox.readings(9_999).stream().anyMatch(r -> r.value() == 42.0
                && r.userAgent().contains("backup-node")));
    }

    @Test
    void anEditOnTheBackupIsRevertedAndTheAdminApiThereAnswers409() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        String mastersCopy = Files.readString(pair.settingsFile(pair.masterNode));

        Files.writeString(pair.settingsFile(pair.backupNode), "connectors: []\n");

        await().atMost(WAIT).until(() -> Files.readString(pair.settingsFile(pair.backupNode)).equals(mastersCopy));
        assertThat(pair.backupNode.connectorStatus("line-1").get("enabled").asBoolean()).isTrue();
        HttpResponse<String> refused = put(pair.backupNode, "connectors: []\n");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("changed on the Master's node");
        assertThat(pair.backupNode.post("/api/module/disable").statusCode()).isEqualTo(200);
    }

    @Test
    void anInvalidChangeOnTheMasterIsRefusedNamingTheKeyAndTheRunningSettingsStay() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        long version = settings(pair.masterNode).get("version").asLong();

        HttpResponse<String> refused = put(pair.masterNode, "connectors:\n  - name: x\n    token: t\n    tags:\n      - path: a\n");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("connectors[0].tags[0].meter-id: is required");

        Files.writeString(pair.settingsFile(pair.masterNode), "connectors:\n  - name: line-1\n    deadband: lots\n");
        Thread.sleep(1_500);   // three polls of the watcher
        assertThat(settings(pair.masterNode).get("version").asLong()).isEqualTo(version);
        assertThat(settings(pair.backupNode).get("version").asLong()).isEqualTo(version);
        assertThat(pair.masterNode.connectorStatus("line-1").get("tags").asInt()).isEqualTo(1);

        HttpResponse<String> accepted = put(pair.masterNode, pair.settings().replace("token: pair-token", "token: pair-token\n    deadband: 0.5"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> settings(pair.backupNode).get("version").asLong() == version + 1);
    }

    @Test
    void aRequestWithoutTheSharedSecretIsRefusedCountedAndChangesNothing() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        String before = Files.readString(pair.settingsFile(pair.backupNode));
        long now = System.currentTimeMillis();

        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pair.backupNode.adminUrl() + "/api/peer/settings"))
                .header("X-Bridge-Timestamp", String.valueOf(now)).header("X-Bridge-Signature", "00".repeat(32))
                .POST(HttpRequest.BodyPublishers.ofString("{\"version\":99,\"checksum\":\"x\",\"schema\":1,\"sealed\":\"AAAA\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(Files.readString(pair.settingsFile(pair.backupNode))).isEqualTo(before);
        assertThat(pair.backupNode.status().at("/redundancy/peerLink/refusedRequests/unsigned").asLong()).isEqualTo(1);
        assertThat(settings(pair.backupNode).get("redundancyError").isNull()).as("an outsider's request puts no node in error").isTrue();
        await().atMost(WAIT).until(() -> pair.backupNode.health().statusCode() == 200);   // UP once the node has settled after start
    }

    @Test
    void aBackupStartedEmptyCatchesUpAndIsInErrorStateUntilThen() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        pair.masterNode.close();   // nobody to mirror from for now
        pair.masterNode = null;
        pair.restartBackupEmpty("connectors: []\n");

        await().atMost(WAIT).until(() -> "no settings from the Master's node yet".equals(settings(pair.backupNode).get("redundancyError").asText()));
        pair.gateways.failover();
        Thread.sleep(1_500);
        assertThat(isLeader(pair.backupNode)).as("a Backup without trusted settings does not lead").isFalse();
        pair.gateways.failback();

        pair.restartMaster();

        await().atMost(WAIT).until(() -> settings(pair.backupNode).get("version").asLong() > 0
                && settings(pair.backupNode).get("redundancyError").isNull());
        assertThat(Files.readString(pair.settingsFile(pair.backupNode))).contains(pair.tagPath);
    }

    @Test
    void withTheMasterUnreachableABackupHoldingAValidCopyTakesOverOnFailover() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        pair.masterNode.close();
        pair.masterNode = null;

        pair.gateways.failover();

        await().atMost(WAIT).until(() -> isLeader(pair.backupNode));
        pair.gateways.backup().writeTag(pair.tagPath, 77.0);
        await().atMost(WAIT).until(() -> pair.sendersOf(77.0).equals(java.util.List.of("backup-node")));
    }

    @Test
    void incompatibleVersionsPutBothNodesInErrorStateAndTheRefusedPushIsLoggedOnceOnEachNode() throws Exception {
        try (CapturedLogs logs = CapturedLogs.withTestConfig()) {
            pair = PairFixture.withBackupOverrides(workDir, Map.of("bridge.compatibility", "9.9"));

            await().atMost(WAIT).until(() -> settings(pair.masterNode).get("redundancyError").asText().contains("the Backup's node refuses settings version 1")
                    && settings(pair.backupNode).get("redundancyError").asText().contains("settings version 1 from the Master's node refused here"));
            assertThat(settings(pair.masterNode).get("redundancyError").asText()).startsWith("incompatible nodes");
            assertThat(settings(pair.backupNode).get("redundancyError").asText()).startsWith("incompatible nodes");
            assertThat(settings(pair.backupNode).get("version").asLong()).isZero();
            await().atMost(WAIT).until(() -> pair.masterNode.health().statusCode() == 503 && pair.backupNode.health().statusCode() == 503);
            Thread.sleep(3_000);   // six peer polls: a WARN per push used to come every second
            assertThat(logs.containing(SettingsMirror.class, "the Backup's node refuses settings version 1")).hasSize(1);
            assertThat(logs.containing(SettingsMirror.class, "settings version 1 from the Master's node refused here")).hasSize(1);
        }
    }

    @Test
    void aMastersNodeThatLostItsDataDirContinuesAfterTheVersionTheBackupHolds() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        for (String deadband : new String[] {"0.5", "0.7"}) {
            long next = settings(pair.masterNode).get("version").asLong() + 1;
            assertThat(put(pair.masterNode, pair.settings().replace("token: pair-token", "token: pair-token\n    deadband: " + deadband))
                    .statusCode()).isEqualTo(202);
            await().atMost(WAIT).until(() -> settings(pair.backupNode).get("version").asLong() == next);
        }
        assertThat(settings(pair.backupNode).get("version").asLong()).isEqualTo(3);
        pair.masterNode.close();
        Files.writeString(pair.settingsFile(pair.masterNode), pair.settings().replace("token: pair-token", "token: pair-token\n    deadband: 0.9"));

        pair.restartMasterWithoutDataDir();

        await().atMost(WAIT).until(() -> settings(pair.backupNode).get("version").asLong() == 4);
        awaitInSync();
        assertThat(settings(pair.masterNode).get("version").asLong()).isEqualTo(4);
        assertThat(Files.readString(pair.settingsFile(pair.backupNode))).contains("deadband: 0.9");
        await().atMost(WAIT).until(() -> settings(pair.masterNode).get("redundancyError").isNull()
                && settings(pair.backupNode).get("redundancyError").isNull());
        assertThat(put(pair.masterNode, pair.settings()).statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> settings(pair.backupNode).get("version").asLong() == 5);
    }

    @Test
    void filesHoldingTokensAreReadableByTheirOwnerOnlyOnBothNodes() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        Path backupSettings = pair.settingsFile(pair.backupNode);
        Files.setPosixFilePermissions(backupSettings, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(put(pair.masterNode, pair.settings().replace("token: pair-token", "token: pair-token\n    deadband: 0.5")).statusCode())
                .isEqualTo(202);
        await().atMost(WAIT).until(() -> settings(pair.backupNode).get("version").asLong() == 2);

        for (TestNode node : new TestNode[] {pair.masterNode, pair.backupNode}) {
            assertThat(mode(node.workDir().resolve("data"))).isEqualTo("rwx------");
            assertThat(mode(node.workDir().resolve("data/mirror/maintainx.yaml"))).isEqualTo("rw-------");
            assertThat(mode(pair.settingsFile(node))).isEqualTo("rw-------");
            assertThat(mode(node.workDir().resolve("config/maintainx.yaml.prev"))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(backupSettings)).contains("deadband: 0.5");
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
