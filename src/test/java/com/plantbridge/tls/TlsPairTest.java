package com.plantbridge.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.ops.AdminApi;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.RawHttp;
import com.plantbridge.testing.TestNode;
import com.plantbridge.testing.TlsPair;

import static com.plantbridge.testing.PairFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pair configured with TLS by the command of docs/security.md (docker/tls-pair.sh): both nodes serve HTTPS
 * only on the admin port (status page, peer link) and the management port, check each other's
 * certificate, stream, mirror settings and fail over; a call in plain HTTP gets no HTTP answer at
 * all. A peer showing a certificate its node does not trust is refused before anything is sent,
 * counted and shown in status, and the peer link's health says why.
 */
class TlsPairTest {

    @TempDir
    Path workDir;
    private PairFixture pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    private void awaitInSync(long version) {
        await().atMost(WAIT).until(() -> pair.backupNode.status().at("/settings/version").asLong() == version
                && pair.masterNode.status().at("/settings/confirmedVersion").asLong() == version);
    }

    @Test
    void aPairOverTlsStreamsMirrorsSettingsFailsOverAndAnswersNothingInPlainHttp() throws Exception {
        TlsPair tls = TlsPair.get();
        pair = PairFixture.withTls(workDir, tls);
        assertThat(pair.masterNode.adminUrl()).startsWith("https://");
        awaitInSync(1);
        pair.awaitSoleLeader(pair.masterNode);
        pair.gateways.master().writeTag(pair.tagPath, 21.0);
        await().atMost(WAIT).until(() -> pair.sendersOf(21.0).equals(List.of("master-node")));

        for (TestNode node : List.of(pair.masterNode, pair.backupNode)) {
            JsonNode security = node.status().get("security");
            assertThat(security.at("/adminApi/transport").asText()).isEqualTo("HTTPS");
            assertThat(security.at("/managementPort/transport").asText()).isEqualTo("HTTPS");
            assertThat(security.at("/peerLink/transport").asText()).isEqualTo("HTTPS");
            assertThat(security.at("/peerLink/verification").asText()).contains("bridge.peer.trust-store").contains("host name checked");
            assertThat(security.at("/peerLink/certificatesRefused").asLong()).isZero();
            assertThat(security.get("warnings")).as("no secret crosses in clear").isEmpty();
            // readiness follows the pair's state, which on a loaded machine may still be settling here (CI
            // once saw 503 at this point): wait for it, and name the DOWN check if it never comes up
            await().atMost(WAIT).untilAsserted(() -> assertThat(node.health().statusCode()).as("health over HTTPS: %s",
                    node.managementGet("/observe/health?exposureLevel=full").body()).isEqualTo(200));
            assertThat(node.managementGet("/observe/metrics").body()).contains("bridge_peer_certificates_refused_total");
        }
        assertThat(pair.masterNode.status().at("/security/certificate/sha256").asText()).isEqualTo(tls.master.sha256());
        assertThat(pair.backupNode.status().at("/security/certificate/sha256").asText()).isEqualTo(tls.backup.sha256());

        assertThat(pair.masterNode.put("/api/settings", "application/yaml",
                pair.settings().replace("token: pair-token", "token: pair-token\n    deadband: 0.5")).statusCode()).isEqualTo(202);
        awaitInSync(2);

        String masterFile = Files.readString(pair.settingsFile(pair.masterNode));
        for (TestNode node : List.of(pair.masterNode, pair.backupNode)) {
            RawHttp plain = RawHttp.plain(node.adminPort());
            for (AdminApi.Route route : AdminApi.ROUTES) {
                Map<String, String> headers = route.access() == AdminApi.Access.ADMIN
                        ? Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN, "Content-Type", "application/yaml") : Map.of();
                RawHttp.Answer answer = plain.send(route.method(), route.path(), headers,
                        route.method().equals("GET") ? null : "connectors: []\n".getBytes(StandardCharsets.UTF_8));
                assertThat(answer.isHttp()).as("%s in plain HTTP: %s", route, answer.text()).isFalse();
            }
            assertThat(RawHttp.plain(node.managementPort()).send("GET", "/observe/health", Map.of(), null).isHttp())
                    .as("management port in plain HTTP").isFalse();
        }
        assertThat(pair.masterNode.status().get("enabled").asBoolean()).isTrue();
        assertThat(pair.backupNode.status().get("enabled").asBoolean()).isTrue();
        assertThat(Files.readString(pair.settingsFile(pair.masterNode))).isEqualTo(masterFile);

        pair.gateways.failover();
        pair.awaitSoleLeader(pair.backupNode);
        pair.gateways.backup().writeTag(pair.tagPath, 22.0);
        await().atMost(WAIT).until(() -> pair.sendersOf(22.0).equals(List.of("backup-node")));
        assertThat(pair.backupNode.status().at("/redundancy/peerLink/problem").isNull()).as("the link works over TLS").isTrue();
    }

    @Test
    void aPeerShowingACertificateItsNodeDoesNotTrustIsRefusedCountedAndShownAndAPinnedOneIsTrusted() throws Exception {
        TlsPair tls = TlsPair.get();
        pair = PairFixture.withTls(workDir, tls);
        awaitInSync(1);
        Path strangerCa = workDir.resolve("stranger-ca.pem");
        Files.copy(TlsPair.selfSigned(workDir.resolve("stranger"), "stranger-ca").certificatePem(), strangerCa);

        pair.masterNode.close();
        pair.restartMaster(Map.of("bridge.peer.trust-store", strangerCa.toString()));
        await().atMost(WAIT).until(() -> pair.masterNode.status().at("/security/peerLink/certificatesRefused").asLong() > 0);
        JsonNode refusing = pair.masterNode.status();
        assertThat(refusing.at("/security/peerLink/lastRefusal").asText()).contains("does not verify with bridge.peer.trust-store");
        assertThat(refusing.at("/redundancy/peerLink/problem").asText()).startsWith("the peer's TLS certificate is refused");
        await().atMost(WAIT).until(() -> pair.masterNode.status().at("/redundancy/peerLink/error").asText()
                .startsWith("the peer's TLS certificate is refused"));
        assertThat(pair.masterNode.health().statusCode()).isEqualTo(503);
        assertThat(pair.masterNode.managementGet("/observe/health/ready?exposureLevel=full&data=true").body()).contains("TLS certificate is refused");
        assertThat(pair.masterNode.managementGet("/observe/metrics").body()).containsPattern("bridge_peer_certificates_refused_total [1-9]");

        pair.masterNode.close();
        pair.restartMaster(Map.of("bridge.peer.trust-store", "", "bridge.peer.certificate-fingerprint", tls.backup.sha256()));
        await().atMost(WAIT).until(() -> pair.masterNode.status().at("/redundancy/peer/node").asText().equals("backup-node"));
        assertThat(pair.masterNode.status().at("/security/peerLink/verification").asText()).isEqualTo("the pinned SHA-256 of "
                + PeerTrust.FINGERPRINT);
        assertThat(pair.masterNode.status().at("/security/peerLink/certificatesRefused").asLong()).isZero();

        pair.masterNode.close();
        pair.restartMaster(Map.of("bridge.peer.trust-store", "", "bridge.peer.certificate-fingerprint", tls.master.sha256()));
        await().atMost(WAIT).until(() -> pair.masterNode.status().at("/security/peerLink/certificatesRefused").asLong() > 0);
        assertThat(pair.masterNode.status().at("/security/peerLink/lastRefusal").asText()).contains("not the one pinned");
        assertThat(pair.masterNode.status().at("/redundancy/peer/node").isMissingNode()).as("nothing believed from an unpinned peer").isTrue();
    }
}
