package com.plantbridge.tls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.RawHttp;
import com.plantbridge.testing.TestNode;
import com.plantbridge.testing.TlsPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One node's TLS settings: a PEM certificate and key serve HTTPS on both ports as a key store
 * does, a client that does not trust the certificate gets no answer, and every bad setting stops
 * the node at start with one message naming the key.
 */
class NodeTlsTest {

    private static final String SETTINGS = "connectors:\n  - name: line-1\n    token: t\n    tags:\n      - path: \"[default]A\"\n        meter-id: 1\n";

    @TempDir
    Path workDir;

    private TestNode.Builder node(String name) {
        // No gateway: closed ports on loopback; the node starts and reports its gateway unreachable.
        return TestNode.builder(workDir.resolve(name)).settings(SETTINGS)
                .property("ignition.opcua.endpoint", "opc.tcp://127.0.0.1:1").property("ignition.gateway.url", "http://127.0.0.1:1");
    }

    @Test
    void aPemCertificateAndKeyServeHttpsOnlyOnBothPortsAndAClientThatDoesNotTrustThemGetsNoAnswer() throws Exception {
        TlsPair.Node master = TlsPair.get().master;
        Path[] pem = TlsPair.asPem(master, workDir.resolve("pem"));
        try (TestNode node = node("pem").trusting(master.caPem())
                .property("bridge.tls.certificate", pem[0]).property("bridge.tls.private-key", pem[1]).start()) {
            assertThat(node.status().at("/security/adminApi/transport").asText()).isEqualTo("HTTPS");
            assertThat(node.status().at("/security/certificate/sha256").asText()).isEqualTo(master.sha256());
            assertThat(node.status().at("/security/certificate/source").asText()).isEqualTo(pem[0].toString());
            assertThat(node.managementGet("/observe/health/live").statusCode()).isEqualTo(200);

            assertThat(RawHttp.plain(node.adminPort()).send("GET", "/api/status", Map.of(), null).isHttp()).isFalse();
            HttpClient trustsNothingOfOurs = HttpClient.newHttpClient();
            assertThatThrownBy(() -> trustsNothingOfOurs.send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void everyBadTlsSettingStopsTheNodeNamingTheKey() {
        TlsPair pair = TlsPair.get();
        Path[] masterPem = TlsPair.asPem(pair.master, workDir.resolve("master-pem"));
        Path[] backupPem = TlsPair.asPem(pair.backup, workDir.resolve("backup-pem"));
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("bridge.tls.key-store: " + workDir.resolve("bad-1/config/tls/missing.p12") + " does not exist",
                Map.of("bridge.tls.key-store", "config/tls/missing.p12"));
        cases.put("bridge.tls.key-store-password does not open bridge.tls.key-store",
                Map.of("bridge.tls.key-store", pair.master.keyStore(), "bridge.tls.key-store-password", "not-the-password"));
        cases.put("bridge.tls.key-store and bridge.tls.certificate/bridge.tls.private-key: set one of them, not both",
                Map.of("bridge.tls.key-store", pair.master.keyStore(), "bridge.tls.certificate", masterPem[0]));
        cases.put("bridge.tls.private-key: must be set with bridge.tls.certificate", Map.of("bridge.tls.certificate", masterPem[0]));
        cases.put("the private key does not belong to the certificate",
                Map.of("bridge.tls.certificate", backupPem[0], "bridge.tls.private-key", masterPem[1]));
        cases.put("bridge.tls.private-key: " + masterPem[0] + " holds no PEM private key",
                Map.of("bridge.tls.certificate", masterPem[0], "bridge.tls.private-key", masterPem[0]));
        cases.put("bridge.peer.url is https:// but neither bridge.peer.trust-store",
                Map.of("bridge.peer.url", "https://127.0.0.1:1", "bridge.peer.secret", PairFixture.SECRET));
        cases.put("bridge.peer.trust-store is set but bridge.peer.url (http://127.0.0.1:1) is plain HTTP: use https://",
                Map.of("bridge.peer.url", "http://127.0.0.1:1", "bridge.peer.secret", PairFixture.SECRET, "bridge.peer.trust-store", pair.master.caPem()));
        cases.put("bridge.peer.certificate-fingerprint: 'AB:CD' is not a SHA-256 fingerprint",
                Map.of("bridge.peer.url", "https://127.0.0.1:1", "bridge.peer.secret", PairFixture.SECRET, "bridge.peer.certificate-fingerprint", "AB:CD"));
        cases.put("camel.ssl.enabled: the node's TLS is set with bridge.tls.*",
                Map.of("bridge.tls.key-store", pair.master.keyStore(), "bridge.tls.key-store-password", pair.master.keyStorePassword(),
                        "camel.ssl.enabled", "true"));
        int i = 0;
        for (Map.Entry<String, Map<String, Object>> bad : cases.entrySet()) {
            TestNode.Builder builder = node("bad-" + ++i);
            bad.getValue().forEach(builder::property);
            assertThatThrownBy(builder::start).as(bad.getKey()).satisfies(e -> assertThat(rootMessage(e)).contains(bad.getKey()));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
