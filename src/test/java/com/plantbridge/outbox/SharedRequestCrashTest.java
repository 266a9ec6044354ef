package com.plantbridge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.ChildNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node in a child JVM killed with SIGKILL after MaintainX stored a request that carried the readings of two
 * connectors of one token, before the node read its 201: each connector settles its own part after the restart,
 * and every reading is at MaintainX once.
 */
class SharedRequestCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SETTLED = "in flight at the last stop is at MaintainX already; not sent again";

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private ChildNode node;

    @BeforeEach
    void start() throws Exception {
        gateway = SimulatedGateway.builder().name("shared-crash").start();
        sandbox = MaintainxSandbox.start(0).token("crash-token");
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        StringBuilder yaml = new StringBuilder("connectors:\n");
        for (String connector : List.of("a", "b")) {
            yaml.append("  - name: ").append(connector).append("\n    token: crash-token\n    tags:\n");
            for (int i = 0; i < 2; i++) {
                String path = path(connector, i);
                long meter = meter(connector, i);
                gateway.addTag(path, 0.0);
                gateway.writeTag(path, 0.0, StatusCodes.Good, past);
                sandbox.meter(meter, path).history(meter, 0.0, past);
                yaml.append("      - path: \"").append(path).append("\"\n        meter-id: ").append(meter).append('\n');
            }
        }
        // One request every 2 s: connectors whose tags change after a request wait in line for the next one together.
        node = new ChildNode(workDir.resolve("node"), yaml.toString(), Map.of(
                "ignition.opcua.endpoint", gateway.opcUaEndpoint(),
                "ignition.gateway.url", gateway.gatewayUrl(),
                "maintainx.base-url", sandbox.baseUrl(),
                "maintainx.batch-delay", "300",
                "maintainx.rate-limit.requests", "6",
                "maintainx.rate-limit.window", "12000",
                "maintainx.rate-limit.burst", "1",
                "bridge.node-name", "shared-crash-node"));
        node.start();
        await().atMost(WAIT).until(node::isReady);
        // The new node reads each of its four meters once (it knows none); the readings below come after.
        await().atMost(WAIT).until(() -> sandbox.requests().stream().filter(r -> r.method().equals("GET")).count() == 4);
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        gateway.close();
        sandbox.close();
    }

    private static String path(String connector, int i) {
        return "[default]SharedCrash/" + connector + i;
    }

    private static long meter(String connector, int i) {
        return (connector.equals("a") ? 720 : 730) + i;
    }

    @Test
    void killedAfterMaintainxStoredASharedRequestButBeforeTheNodeReadThe201() throws Exception {
        gateway.writeTag(path("a", 0), 1.0);
        await().atMost(WAIT).until(() -> sandbox.readings().stream().anyMatch(r -> r.value() == 1.0));
        sandbox.afterNextStore(() -> {
            try {
                node.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        gateway.writeTag(path("a", 1), 2.0);
        gateway.writeTag(path("b", 0), 3.0);
        gateway.writeTag(path("b", 1), 4.0);

        await().atMost(WAIT).until(() -> !node.isAlive());
        assertThat(sandbox.readings()).extracting(StoredReading::value).as("one request carried both connectors' parts")
                .contains(2.0, 3.0, 4.0);

        node.start();

        await().atMost(WAIT).until(node::isReady);
        await().atMost(WAIT).untilAsserted(() -> assertThat(node.log()).contains("Connector a: a batch of 1 readings " + SETTLED)
                .contains("Connector b: a batch of 2 readings " + SETTLED));
        gateway.writeTag(path("b", 0), 5.0);
        await().atMost(WAIT).until(() -> sandbox.readings().stream().anyMatch(r -> r.value() == 5.0));
        Map<Double, Long> copies = sandbox.readings().stream().collect(Collectors.groupingBy(StoredReading::value, Collectors.counting()));
        assertThat(copies).as("copies per value; node log:\n%s", node.log()).isEqualTo(Map.of(1.0, 1L, 2.0, 1L, 3.0, 1L, 4.0, 1L, 5.0, 1L));
    }
}
