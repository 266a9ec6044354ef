package com.plantbridge.peer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.settings.Secret;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.TestNode;

import static com.plantbridge.testing.PairFixture.WAIT;
import static com.plantbridge.testing.PairFixture.isLeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second client on the plant network attacks a running pair: unsigned, stale, replayed and
 * wrongly signed peer requests, and admin calls without the token or cross-site. Nothing changes
 * (leadership, enable state, settings, error state), and the Backup's node still takes over when
 * the Master's gateway goes Cold, while the attack goes on.
 */
class PeerLinkAttackTest {

    private static final PeerKeys RIGHT_KEYS = PeerKeys.derive(Secret.of(PairFixture.SECRET));
    private static final PeerKeys GUESSED_KEYS = PeerKeys.derive(Secret.of("an-attackers-guess-at-the-peer-secret-0000"));
    private static final byte[] FORGED_DOCUMENT = "{\"version\":99,\"checksum\":\"x\",\"schema\":1,\"compatibility\":\"0.1\",\"sealed\":\"AAAA\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path workDir;
    private PairFixture pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    private static HttpResponse<String> peerRequest(TestNode node, String method, String path, byte[] body, PeerSignature.SignedRequest signed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.adminUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (signed != null) {
            request.header(PeerSignature.TIMESTAMP_HEADER, String.valueOf(signed.timestamp()))
                    .header(PeerSignature.NONCE_HEADER, signed.nonce())
                    .header(PeerSignature.SIGNATURE_HEADER, signed.signature());
        }
        return node.send(request.build());
    }

    private static PeerSignature signer(PeerKeys keys, Duration clockOffset) {
        return new PeerSignature(keys, PeerSignature.DEFAULT_MAX_SKEW, Clock.offset(Clock.systemUTC(), clockOffset));
    }

    /** Every kind of refused peer request, once, against one node. */
    private static void attackPeerLink(TestNode node) {
        assertThat(peerRequest(node, "GET", PeerViewRoutes.PATH, null, null).statusCode()).as("unsigned view").isEqualTo(401);
        assertThat(peerRequest(node, "POST", "/api/peer/settings", FORGED_DOCUMENT, null).statusCode()).as("unsigned settings").isEqualTo(401);
        PeerSignature.SignedRequest stale = signer(RIGHT_KEYS, Duration.ofMinutes(-5)).signRequest("POST", "/api/peer/settings", FORGED_DOCUMENT);
        assertThat(peerRequest(node, "POST", "/api/peer/settings", FORGED_DOCUMENT, stale).statusCode()).as("stale settings").isEqualTo(401);
        PeerSignature.SignedRequest forged = signer(GUESSED_KEYS, Duration.ZERO).signRequest("POST", "/api/peer/settings", FORGED_DOCUMENT);
        assertThat(peerRequest(node, "POST", "/api/peer/settings", FORGED_DOCUMENT, forged).statusCode()).as("forged settings").isEqualTo(401);
        PeerSignature.SignedRequest forgedView = signer(GUESSED_KEYS, Duration.ZERO).signRequest("GET", PeerViewRoutes.PATH, null);
        HttpResponse<String> refusedView = peerRequest(node, "GET", PeerViewRoutes.PATH, null, forgedView);
        assertThat(refusedView.statusCode()).as("forged view").isEqualTo(401);
        assertThat(refusedView.body()).doesNotContain("settingsChecksum").doesNotContain("role");
    }

    /** Admin calls an outsider (or a web page an operator opens) can make. */
    private static void attackAdminApi(TestNode node) {
        HttpRequest.Builder disable = HttpRequest.newBuilder(URI.create(node.adminUrl() + "/api/module/disable"));
        assertThat(node.send(disable.copy().POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).as("no token").isEqualTo(401);
        assertThat(node.send(disable.copy().header("Authorization", "Bearer guessed").POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).as("wrong token").isEqualTo(401);
        assertThat(node.send(disable.copy().header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build()).statusCode()).as("cross-site disable").isEqualTo(401);
        HttpRequest.Builder settings = HttpRequest.newBuilder(URI.create(node.adminUrl() + "/api/settings"))
                .header("Origin", "http://evil.example").header("Content-Type", "text/plain");
        assertThat(node.send(settings.copy().POST(HttpRequest.BodyPublishers.ofString("connectors: []\n")).build()).statusCode())
                .as("cross-site POST of settings").isEqualTo(405);
        assertThat(node.send(settings.copy().PUT(HttpRequest.BodyPublishers.ofString("connectors: []\n")).build()).statusCode())
                .as("cross-site PUT of settings").isEqualTo(401);
        assertThat(node.put("/api/settings", "text/plain", "connectors: []\n").statusCode()).as("settings not as YAML").isEqualTo(415);
        assertThat(node.send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/api/quarantine/replay?connector=line-1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).as("replay without token").isEqualTo(401);
    }

    private record Snapshot(boolean masterLeads, boolean backupLeads, boolean masterEnabled, boolean backupEnabled,
                            long masterVersion, long backupVersion, String masterFile, String backupFile) {
    }

    private Snapshot snapshot() throws Exception {
        JsonNode m = pair.masterNode.status();
        JsonNode b = pair.backupNode.status();
        return new Snapshot(m.at("/redundancy/leader").asBoolean(), b.at("/redundancy/leader").asBoolean(),
                m.get("enabled").asBoolean(), b.get("enabled").asBoolean(),
                m.at("/settings/version").asLong(), b.at("/settings/version").asLong(),
                Files.readString(pair.settingsFile(pair.masterNode)), Files.readString(pair.settingsFile(pair.backupNode)));
    }

    private void awaitInSync() {
        await().atMost(WAIT).until(() -> pair.masterNode.status().at("/settings/version").asLong() > 0
                && pair.backupNode.status().at("/settings/version").asLong() == pair.masterNode.status().at("/settings/version").asLong()
                && pair.masterNode.status().at("/settings/confirmedVersion").asLong() == pair.masterNode.status().at("/settings/version").asLong());
    }

    @Test
    void attacksOnThePeerLinkAndTheAdminApiChangeNothingAndTheBackupStillTakesOverDuringThem() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        pair.awaitSoleLeader(pair.masterNode);
        Snapshot before = snapshot();
        String checksum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(pair.settingsFile(pair.masterNode))));

        for (TestNode node : List.of(pair.masterNode, pair.backupNode)) {
            attackPeerLink(node);
            attackAdminApi(node);
            PeerSignature.SignedRequest genuine = signer(RIGHT_KEYS, Duration.ZERO).signRequest("GET", PeerViewRoutes.PATH, null);
            assertThat(peerRequest(node, "GET", PeerViewRoutes.PATH, null, genuine).statusCode()).as("a captured genuine request").isEqualTo(200);
            assertThat(peerRequest(node, "GET", PeerViewRoutes.PATH, null, genuine).statusCode()).as("the same, replayed").isEqualTo(401);
        }
        Thread.sleep(1_500);   // three peer polls and leadership decisions: time for any state change to show

        assertThat(snapshot()).isEqualTo(before);
        for (TestNode node : List.of(pair.masterNode, pair.backupNode)) {
            JsonNode status = node.status();
            assertThat(status.at("/settings/redundancyError").isNull()).as("no error state from an outsider").isTrue();
            assertThat(status.at("/redundancy/peerLink/refusedRequests/unsigned").asLong()).isEqualTo(2);
            assertThat(status.at("/redundancy/peerLink/refusedRequests/stale").asLong()).isEqualTo(1);
            assertThat(status.at("/redundancy/peerLink/refusedRequests/forged").asLong()).isEqualTo(2);
            assertThat(status.at("/redundancy/peerLink/refusedRequests/replayed").asLong()).isEqualTo(1);
            // Five without the right token and the POST of settings (405); the 415 came from the route, with the token.
            assertThat(status.at("/adminApi/refusedCalls").asLong()).isEqualTo(6);
            assertThat(status.toString()).as("no plaintext checksum on an open page").doesNotContain(checksum).doesNotContain("checksum");
            assertThat(node.health().statusCode()).isEqualTo(200);
        }

        pair.gateways.failover();
        await().atMost(WAIT).until(() -> {
            attackPeerLink(pair.backupNode);
            return isLeader(pair.backupNode) && pair.backupNode.connectorStatus("line-1").get("subscribed").asBoolean();
        });
        assertThat(isLeader(pair.masterNode)).isFalse();
        pair.gateways.backup().writeTag(pair.tagPath, 55.0);
        await().atMost(WAIT).until(() -> pair.sendersOf(55.0).equals(List.of("backup-node")));
    }

    @Test
    void aBackupHoldingAValidCopyTakesOverWhenItCannotVerifyTheMastersNode() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        awaitInSync();
        pair.masterNode.close();
        pair.restartMaster(Map.of("bridge.peer.secret", "a-different-secret-on-the-masters-node-000"));

        await().atMost(WAIT).until(() -> pair.backupNode.status().at("/redundancy/peerLink/error").asText()
                .startsWith("bridge.peer.secret differs between the nodes: the peer refuses this node's signatures"));
        assertThat(pair.backupNode.status().at("/settings/redundancyError").asText()).contains("peer link: bridge.peer.secret differs");
        assertThat(pair.backupNode.health().statusCode()).isEqualTo(503);
        await().atMost(WAIT).until(() -> pair.masterNode.status().at("/redundancy/peerLink/error").asText()
                .startsWith("bridge.peer.secret differs"));

        pair.gateways.failover();

        pair.awaitSoleLeader(pair.backupNode);
        pair.gateways.backup().writeTag(pair.tagPath, 66.0);
        await().atMost(WAIT).until(() -> pair.sendersOf(66.0).equals(List.of("backup-node")));
    }
}
