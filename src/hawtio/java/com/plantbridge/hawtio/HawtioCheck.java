package com.plantbridge.hawtio;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.plantbridge.sim.DemoPair;
import com.plantbridge.sim.gateway.FreePorts;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.testing.ChildNode;

import static org.awaitility.Awaitility.await;

/**
 * Hawtio in a real browser ({@code mvn -B -ntp -Phawtio-check -DskipTests test-compile exec:exec}, docs/operations.md "JMX
 * and Hawtio"): the demo's simulated gateway pair and MaintainX sandbox in this JVM, its two nodes each in a JVM of its
 * own (so that each node's Jolokia shows that node only, as on a site), Hawtio 4 on loopback, and headless Chromium
 * driven by {@code src/hawtio/browser/check-routes.cjs} through Hawtio's own pages: add a remote connection per node,
 * log in with the management user, open the Camel routes. The browser script fails the check unless the page and
 * Hawtio's Jolokia answers both show the node's readings routes Started on the leader and Stopped on the standby.
 */
public final class HawtioCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE = Duration.ofMinutes(2);

    private HawtioCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path war = Path.of(required("hawtio.war"));
        Path script = Path.of(required("hawtio.check.script")).toAbsolutePath();
        Path nodeModules = Path.of(required("hawtio.check.node-modules")).toAbsolutePath();
        Path work = Path.of(System.getProperty("hawtio.check.work", "target/hawtio-check")).toAbsolutePath();
        Path screenshot = Path.of(System.getProperty("hawtio.check.screenshot", "docs/hawtio.png")).toAbsolutePath();
        refuseBusyPorts();
        int exit;
        try (DemoPair.Simulators simulators = DemoPair.startSimulators();
             ChildNode master = node(work.resolve("master"), simulators, simulators.gateways().master(), DemoPair.MASTER);
             ChildNode backup = node(work.resolve("backup"), simulators, simulators.gateways().backup(), DemoPair.BACKUP);
             HawtioConsole hawtio = HawtioConsole.start(war, FreePorts.pick())) {
            System.out.println("hawtio-check: nodes starting (logs: " + work + "/{master,backup}/node.log), Hawtio at " + hawtio.url());
            await("master-node leading with its connectors subscribed").atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                    .until(master::isReady);
            await("backup-node answering as the standby").atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> isStandby(backup.status()));
            List<Map<String, Object>> nodes = List.of(
                    expectation(master.status(), DemoPair.MASTER.management()),
                    expectation(backup.status(), DemoPair.BACKUP.management()));
            exit = browse(script, nodeModules, hawtio.url(), nodes, work, screenshot);
        }
        System.exit(exit);
    }

    private static ChildNode node(Path home, DemoPair.Simulators simulators, SimulatedGateway gateway,
                                  DemoPair.NodePorts ports) throws IOException {
        ChildNode node = ChildNode.withSettings(home, DemoPair.nodeHome(home, gateway, ports, simulators.sandbox()));
        node.jvmArg("-Xmx384m");
        node.start();
        return node;
    }

    private static boolean isStandby(JsonNode status) {
        return status != null && !status.path("redundancy").path("leader").asBoolean(true)
                && status.path("redundancy").path("peer").path("leader").asBoolean(false);
    }

    /** What Hawtio must show for one node, taken from the node's own status: its name, leadership, readings routes. */
    private static Map<String, Object> expectation(JsonNode status, int managementPort) {
        List<String> routes = new ArrayList<>();
        for (JsonNode connector : status.path("connectors")) {
            if (connector.path("enabled").asBoolean()) {
                routes.add("readings-" + connector.path("name").asText());
            }
        }
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("name", status.path("node").asText());
        node.put("port", managementPort);
        node.put("leader", status.path("redundancy").path("leader").asBoolean());
        node.put("routes", routes);
        return node;
    }

    private static int browse(Path script, Path nodeModules, String hawtioUrl, List<Map<String, Object>> nodes, Path work,
                              Path screenshot) throws IOException, InterruptedException {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("hawtio", hawtioUrl);
        check.put("user", "admin");
        check.put("password", DemoPair.DEMO_MANAGEMENT_PASSWORD);
        check.put("nodes", nodes);
        check.put("work", work.toString());
        check.put("screenshot", screenshot.toString());
        ProcessBuilder node = new ProcessBuilder("node", script.toString()).inheritIO();
        node.environment().put("NODE_PATH", nodeModules.toString());
        node.environment().put("HAWTIO_CHECK", JSON.writeValueAsString(check));
        return node.start().waitFor();
    }

    /** The check runs the demo's own ports (the Hawtio steps of docs/operations.md name 9876 and 9877): a running demo must stop first. */
    private static void refuseBusyPorts() {
        for (int port : DemoPair.PORTS) {
            try (ServerSocket free = new ServerSocket(port)) {
                free.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("hawtio-check: port " + port + " is in use (is the demo running?); "
                        + "the check starts its own demo pair on the demo's ports " + DemoPair.PORTS);
            }
        }
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("hawtio-check: system property " + key + " is not set (run it through -Phawtio-check)");
        }
        return value;
    }
}
