package com.plantbridge.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.BridgeApplication;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.gateway.SimulatedGatewayPair;
import com.plantbridge.sim.maintainx.MaintainxSandbox;

/**
 * The demo ({@code mvn -q -Pdemo -DskipTests test-compile exec:exec}): a simulated Ignition gateway
 * pair, a MaintainX sandbox, and one node of the product beside each gateway, as a site runs them.
 * It lives with the tests so that no simulator class ships in the product jar.
 */
public final class DemoPair {

    private static final Logger LOG = LoggerFactory.getLogger(DemoPair.class);
    /** Demo only: a real pair gets a random secret of its own (README, redundant pair). */
    private static final String DEMO_SECRET = "demo-only-peer-secret-change-me-on-a-site";
    /** Demo only: Jolokia's password on both demo nodes. */
    public static final String DEMO_MANAGEMENT_PASSWORD = "demo-only-hawtio";

    private DemoPair() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/demo").toAbsolutePath();
        Simulators simulators = startSimulators();
        List<Main> nodes = List.of(
                node(root.resolve("master"), simulators.gateways().master(), MASTER, simulators.sandbox()),
                node(root.resolve("backup"), simulators.gateways().backup(), BACKUP, simulators.sandbox()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.forEach(DemoPair::stopQuietly);
            simulators.close();
            stopped.countDown();
        }, "demo-shutdown"));
        LOG.info("DEMO running. Readings per meter and node: {}  Fail over: curl -X POST localhost:8099/sandbox/control/failover"
                + "  Fail back: curl -X POST localhost:8099/sandbox/control/failback  Nodes: localhost:8080/api/status, localhost:8081/api/status",
                simulators.sandbox().viewerUrl());
        stopped.await();
    }

    /** The demo's ports of one node: admin API, management server (Jolokia), and the peer's admin API. */
    public record NodePorts(int admin, int management, int peerAdmin) {
    }

    public static final NodePorts MASTER = new NodePorts(8080, 9876, 8081);
    public static final NodePorts BACKUP = new NodePorts(8081, 9877, 8080);
    /** Every fixed port the demo listens on: gateways (OPC UA, gwinfo), the sandbox, the nodes. */
    public static final List<Integer> PORTS = List.of(62541, 8088, 62542, 8089, 8099, 8080, 9876, 8081, 9877);

    /** The simulated gateway pair and the MaintainX sandbox the demo's nodes talk to. */
    public record Simulators(SimulatedGatewayPair gateways, MaintainxSandbox sandbox) implements AutoCloseable {
        @Override
        public void close() {
            gateways.close();
            sandbox.close();
        }
    }

    public static Simulators startSimulators() {
        SimulatedGatewayPair gateways = SimulatedGatewayPair.start(62541, 8088, 62542, 8089);
        gateways.startDemoChanges(Duration.ofSeconds(2));
        // Meters as a MaintainX account has them before the bridge is set up (ids as in /demo/maintainx.yaml).
        MaintainxSandbox sandbox = MaintainxSandbox.start(8099).autoCreateMeters(true).token("demo-token")
                .meter(101, "Demo/Temperature").meter(102, "Demo/Pressure")
                .meter(103, "Demo/Counter").meter(104, "Demo/Running")
                .control("failover", "Fail over", gateways::failover)
                .control("failback", "Fail back", gateways::failback)
                .status(gateways::redundancy);
        return new Simulators(gateways, sandbox);
    }

    private static Main node(Path workDir, SimulatedGateway gateway, NodePorts ports, MaintainxSandbox sandbox) throws Exception {
        Main main = BridgeApplication.createMain(workDir, nodeHome(workDir, gateway, ports, sandbox));
        main.start();
        return main;
    }

    /**
     * Lays out a demo node's home (config/ with the demo's settings, the project's routes/) and answers the
     * settings that make it the node beside {@code gateway}, named {@code <gateway>-node}.
     */
    public static Map<String, String> nodeHome(Path workDir, SimulatedGateway gateway, NodePorts ports,
                                               MaintainxSandbox sandbox) throws IOException {
        Files.createDirectories(workDir.resolve("config"));
        Files.createDirectories(workDir.resolve("routes"));
        try (InputStream settings = DemoPair.class.getResourceAsStream("/demo/maintainx.yaml")) {
            Path file = workDir.resolve("config/maintainx.yaml");
            if (!Files.exists(file)) {
                Files.copy(settings, file);
            }
        }
        try (var routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, workDir.resolve("routes").resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Map<String, String> properties = new HashMap<>();
        String name = gateway.name() + "-node";
        properties.put("camel.main.name", name);
        properties.put("bridge.node-name", name);
        properties.put("bridge.admin.port", String.valueOf(ports.admin()));
        // Plain HTTP, no admin token: loopback only (status says so, security.adminApi.note).
        properties.put("bridge.admin.host", "127.0.0.1");
        properties.put("camel.management.port", String.valueOf(ports.management()));
        properties.put("bridge.peer.url", "http://localhost:" + ports.peerAdmin());
        properties.put("bridge.peer.secret", DEMO_SECRET);
        properties.put("ignition.opcua.endpoint", gateway.opcUaEndpoint());
        properties.put("ignition.gateway.url", gateway.gatewayUrl());
        properties.put("maintainx.base-url", sandbox.baseUrl());
        // Hawtio on the demo: user admin, this password (docs/operations.md, "JMX and Hawtio").
        properties.put("bridge.management.password", DEMO_MANAGEMENT_PASSWORD);
        // Both nodes share this process: the CLI connector's files are per process, so it stays off here.
        properties.put("bridge.cli-connector.enabled", "false");
        return properties;
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("A demo node did not stop cleanly", e);
        }
    }
}
