package com.plantbridge.maintainx;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connectors on one token share requests: one POST /meterreadings carries the due readings of every connector
 * waiting for a slot, each delivered once, and a refusal of a shared request holds up nobody else's readings.
 * The token's budget here is one request a second, so connectors whose tags change together wait in line.
 */
class SharedRequestTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CONNECTORS = 6;

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        gateway = SimulatedGateway.builder().name("shared-requests").start();
        sandbox = MaintainxSandbox.start(0).token("shared-token");
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        StringBuilder settings = new StringBuilder("connectors:\n");
        for (int i = 0; i < CONNECTORS; i++) {
            gateway.addTag(path(i), 0.0);
            gateway.writeTag(path(i), 0.0, StatusCodes.Good, past);
            sandbox.meter(meter(i), path(i)).history(meter(i), 0.0, past);
            settings.append("  - name: c").append(i).append("\n    token: shared-token\n    tags:\n      - path: \"").append(path(i))
                    .append("\"\n        meter-id: ").append(meter(i)).append('\n');
        }
        node = TestNode.builder(workDir).settings(settings.toString())
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.batch-delay", 0)
                .property("maintainx.rate-limit.requests", 6)
                .property("maintainx.rate-limit.window", 6000)
                .property("maintainx.rate-limit.burst", 1)
                .start();
        await().atMost(WAIT).until(() -> IntStream.range(0, CONNECTORS).allMatch(i -> node.connectorStatus("c" + i).get("subscribed").asBoolean()));
        // The new node reads each meter once (it knows nothing of them); the readings below come after.
        await().atMost(WAIT).until(() -> sandbox.requests().stream().filter(r -> r.method().equals("GET")).count() == CONNECTORS);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        sandbox.close();
        gateway.close();
    }

    private static String path(int i) {
        return "[default]Shared/R" + i;
    }

    private static long meter(int i) {
        return 980 + i;
    }

    private List<RequestRecord> posts() {
        return sandbox.requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/meterreadings")).toList();
    }

    private boolean hasReading(int i, double value) {
        return sandbox.readings(meter(i)).stream().anyMatch(r -> r.value() == value);
    }

    @Test
    void connectorsWaitingForTheTokensNextRequestGoInItTogetherEachReadingOnce() {
        for (int i = 0; i < CONNECTORS; i++) {
            gateway.writeTag(path(i), 1.0 + i);
        }

        await().atMost(WAIT).until(() -> IntStream.range(0, CONNECTORS).allMatch(i -> hasReading(i, 1.0 + i)));
        for (int i = 0; i < CONNECTORS; i++) {
            double value = 1.0 + i;
            assertThat(sandbox.readings(meter(i)).stream().filter(r -> r.value() == value).count()).as("readings of meter %d", meter(i)).isEqualTo(1);
        }
        List<RequestRecord> posts = posts();
        assertThat(posts).as("POSTs of readings").hasSizeLessThan(CONNECTORS)
                .anyMatch(r -> r.status() == 201 && r.readingCount() > 1);
        assertThat(sandbox.tooManyRequestsCount()).isZero();
    }

    @Test
    void aRefusedSharedRequestIsSentAgainPartByPartAndOnlyTheRefusedReadingIsKept() {
        sandbox.rejectWhen(r -> r.value() == 66.0, "value out of range");
        for (int i = 1; i < CONNECTORS; i++) {
            gateway.writeTag(path(i), 2.0);
        }
        // After the others: they spend the second's request, so the refused reading waits in line with some of them.
        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        gateway.writeTag(path(0), 66.0);

        await().atMost(WAIT).until(() -> IntStream.range(1, CONNECTORS).allMatch(i -> hasReading(i, 2.0)));
        await().atMost(WAIT).until(() -> node.connectorStatus("c0").get("quarantined").asLong() == 1);
        for (int i = 1; i < CONNECTORS; i++) {
            assertThat(sandbox.readings(meter(i)).stream().filter(r -> r.value() == 2.0).count()).as("readings of meter %d", meter(i)).isEqualTo(1);
            assertThat(node.connectorStatus("c" + i).get("quarantined").asLong()).as("quarantined of c%d", i).isZero();
        }
        assertThat(hasReading(0, 66.0)).isFalse();
        assertThat(posts()).as("a refused request carried the readings of several connectors")
                .anyMatch(r -> r.status() == 400 && r.readingCount() > 1);
    }
}
