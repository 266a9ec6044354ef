package com.plantbridge.ops;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.plantbridge.testing.RawHttp;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bridge.admin.host and camel.management.host bind each port to one interface (tests stay on
 * loopback: 127.0.0.2 is another address of it), and status says how each port is served, with a
 * warning only where a secret would cross the network in clear.
 */
class SecurityStatusTest {

    @TempDir
    java.nio.file.Path workDir;

    @Test
    void eachPortListensOnTheInterfaceItsSettingNamesAndStatusSaysSo() throws Exception {
        try (TestNode node = TestNode.builder(workDir).settings("connectors: []\n")
                .property("ignition.opcua.endpoint", "opc.tcp://127.0.0.1:1").property("ignition.gateway.url", "http://127.0.0.1:1")
                .property("bridge.admin.host", "127.0.0.2").start()) {
            RawHttp.Answer there = new RawHttp("127.0.0.2", node.adminPort(), null).send("GET", "/api/status", Map.of(), null);
            assertThat(there.status()).isEqualTo(200);
            assertThat(new RawHttp("127.0.0.1", node.adminPort(), null).send("GET", "/api/status", Map.of(), null).isHttp())
                    .as("the admin API on another interface").isFalse();
            assertThat(new RawHttp("127.0.0.1", node.managementPort(), null).send("GET", "/observe/health/live", Map.of(), null).status())
                    .isEqualTo(200);
            assertThat(new RawHttp("127.0.0.2", node.managementPort(), null).send("GET", "/observe/health/live", Map.of(), null).isHttp())
                    .as("the management port on another interface").isFalse();

            JsonNode security = new ObjectMapper().readTree(node.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.2:" + node.adminPort() + "/api/status")).build()).body()).get("security");
            assertThat(security.at("/adminApi/host").asText()).isEqualTo("127.0.0.2");
            assertThat(security.at("/adminApi/transport").asText()).isEqualTo("plain HTTP");
            assertThat(security.at("/adminApi/note").asText()).isEqualTo("plain HTTP on loopback only");
            assertThat(security.at("/managementPort/host").asText()).isEqualTo("127.0.0.1");
            assertThat(security.get("peerLink").isNull()).isTrue();
            assertThat(security.get("certificate").isNull()).isTrue();
            assertThat(security.get("warnings")).as("nothing crosses a network from loopback").isEmpty();
        }
    }

    @Test
    void aSecretOnAPlainPortReachableFromTheNetworkIsWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        new SecurityStatus.Transport("0.0.0.0", 8080, false).warnIfClear("bridge.admin.token is set but the admin API", "the token", warnings);
        new SecurityStatus.Transport("127.0.0.1", 9876, false).warnIfClear("loopback", "x", warnings);
        new SecurityStatus.Transport("10.1.2.3", 8080, true).warnIfClear("over TLS", "x", warnings);
        assertThat(warnings).containsExactly("bridge.admin.token is set but the admin API is plain HTTP on 0.0.0.0:8080: the token crosses the"
                + " network in clear; configure bridge.tls.key-store (docs/security.md)");
        assertThat(new SecurityStatus.Transport("0.0.0.0", 8080, false).status().get("note")).isEqualTo("plain HTTP on every interface");
        assertThat(new SecurityStatus.Transport("10.1.2.3", 8080, true).status().get("transport")).isEqualTo("HTTPS");
    }
}
