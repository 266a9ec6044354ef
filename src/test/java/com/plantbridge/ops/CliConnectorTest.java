package com.plantbridge.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.spi.CliConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.ChildNode;
import com.plantbridge.testing.FreePort;
import com.plantbridge.testing.GatewayNodeFixture;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The camel CLI connector (what {@code camel ps}, {@code camel get routes} and {@code camel get health}
 * of Camel JBang read): a node in its own JVM writes {@code <pid>-status.json} under
 * {@code ~/.camel} with its context, the connector route and the health checks, and no secret.
 * (Camel JBang itself is not run: it is downloaded on first use, and there is no network here.)
 */
class CliConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANAGEMENT_PASSWORD = "cli-test-management-password-3f9d";

    @TempDir
    Path workDir;
    @TempDir
    Path home;

    @Test
    void aRunningNodeWritesTheStatusFileTheCamelCliReads() throws Exception {
        String settings = "connectors:\n  - name: line-1\n    token: cli-test-maintainx-token\n    tags:\n"
                + "      - path: \"[default]Cli/Level\"\n        meter-id: 7\n";
        try (ChildNode node = new ChildNode(workDir, settings, Map.of(
                "ignition.opcua.endpoint", "opc.tcp://127.0.0.1:" + FreePort.next(),
                "ignition.gateway.url", "http://127.0.0.1:" + FreePort.next(),
                "bridge.admin.token", TestNode.ADMIN_TOKEN,
                "bridge.management.password", MANAGEMENT_PASSWORD))) {
            node.property("bridge.cli-connector.enabled", "true").jvmArg("-Duser.home=" + home);
            node.start();
            Path status = home.resolve(".camel").resolve(node.pid() + "-status.json");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(status) && routeIds(status).contains("readings-line-1"));
            assertThat(home.resolve(".camel").resolve(String.valueOf(node.pid()))).as("the PID file camel ps lists").exists();

            String text = Files.readString(status);
            JsonNode json = JSON.readTree(text);
            assertThat(json.at("/context/name").asText()).isNotEmpty();
            assertThat(json.path("healthChecks").toString()).contains("opcua-session");
            assertThat(json.path("properties").toString()).as("the properties are there, the secrets masked")
                    .contains("bridge.admin.token").contains(MaskedPropertiesConsole.MASK);
            for (String secret : new String[] {TestNode.ADMIN_TOKEN, MANAGEMENT_PASSWORD, "cli-test-maintainx-token"}) {
                int at = text.indexOf(secret);
                assertThat(at).as("a secret in the status file: ...%s...", at < 0 ? "" : text.substring(Math.max(0, at - 300), at)).isNegative();
            }
        }
    }

    @Test
    void switchedOffTheNodeRunsNoConnectorSoTwoNodesInOneJvmDoNotStopEachOther() throws Exception {
        // Test nodes set bridge.cli-connector.enabled=false: they share one process id, so one status file.
        try (GatewayNodeFixture fixture = GatewayNodeFixture.builder(workDir).tags(1).start()) {
            assertThat(fixture.node.context().hasService(CliConnector.class)).isNull();
        }
    }

    private static String routeIds(Path status) {
        try {
            return JSON.readTree(Files.readString(status)).path("routes").findValuesAsText("routeId").toString();
        } catch (Exception e) {
            return "";   // written while read
        }
    }
}
