package com.plantbridge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * A node in a child JVM killed with SIGKILL, then started again on the same data dir: every
 * accepted reading reaches MaintainX exactly once, also the batch MaintainX stored whose 201 the
 * node never read.
 */
class CrashRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TAGS = 4;

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private ChildNode node;
    private final List<String> paths = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gateway = SimulatedGateway.builder().name("crash").start();
        sandbox = MaintainxSandbox.start(0).token("crash-token");
        StringBuilder yaml = new StringBuilder("connectors:\n  - name: line-1\n    token: crash-token\n    tags:\n");
        for (int i = 0; i < TAGS; i++) {
            String path = "[default]Crash/T" + i;
            paths.add(path);
            Instant past = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            gateway.addTag(path, 0.0);
            gateway.writeTag(path, 0.0, StatusCodes.Good, past);
            sandbox.meter(700 + i, path);
            sandbox.history(700 + i, 0.0, past);
            yaml.append("      - path: \"").append(path).append("\"\n        meter-id: ").append(700 + i).append('\n');
        }
        node = new ChildNode(workDir.resolve("node"), yaml.toString(), Map.of(
                "ignition.opcua.endpoint", gateway.opcUaEndpoint(),
                "ignition.gateway.url", gateway.gatewayUrl(),
                "maintainx.base-url", sandbox.baseUrl(),
                "maintainx.batch-size", "10",
                "maintainx.batch-delay", "300",
                "bridge.node-name", "crash-node"));
        node.start();
        await().atMost(WAIT).until(node::isReady);
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        gateway.close();
        sandbox.close();
    }

    private List<Double> write(double from, int count) {
        List<Double> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double value = from + i;
            gateway.writeTag(paths.get(i % TAGS), value);
            written.add(value);
        }
        return written;
    }

    private void assertEachDeliveredOnce(List<Double> written) throws Exception {
        await().atMost(WAIT).untilAsserted(() -> assertThat(sandbox.readings().size())
                .as("readings at MaintainX; node status %s", node.status()).isGreaterThanOrEqualTo(written.size()));
        Map<Double, Long> copies = sandbox.readings().stream().collect(Collectors.groupingBy(StoredReading::value, Collectors.counting()));
        assertThat(copies.keySet()).as("node log:\n%s", node.log()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(copies.values()).as("copies per reading").allMatch(n -> n == 1);
    }

    @Test
    void killedAfterMaintainxStoredABatchButBeforeTheNodeReadThe201() throws Exception {
        sandbox.failNext(1_000, 503);   // hold everything in the outbox until the trap is set
        List<Double> written = write(1, 40);
        awaitAccepted(40);
        sandbox.reset();
        sandbox.afterNextStore(() -> {
            try {
                node.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(WAIT).until(() -> !node.isAlive());
        int storedBeforeRestart = sandbox.readings().size();
        assertThat(storedBeforeRestart).isPositive();
        // Before the kill the new node read its meters' current values (it knew none); from here on it knows them.
        int requestsBeforeRestart = sandbox.requests().size();

        node.start();

        assertEachDeliveredOnce(written);
        assertThat(node.log()).contains("in flight at the last stop is at MaintainX already; not sent again");
        assertReadOnlyAFewMetersOfTheBatch(requestsBeforeRestart);
    }

    /** One meter's last reading speaks for a whole batch: settling reads a few meters by id, never the meter list. */
    private void assertReadOnlyAFewMetersOfTheBatch(int from) {
        List<com.plantbridge.sim.maintainx.RequestRecord> since = sandbox.requests().subList(from, sandbox.requests().size());
        List<String> reads = since.stream().filter(r -> r.method().equals("GET")).map(r -> r.path()).toList();
        assertThat(reads).as("reads of MaintainX after the restart (%s)", since.stream()
                        .map(r -> r.method() + " " + r.path() + " " + r.status() + " @" + r.time()).toList())
                .allMatch(path -> path.startsWith("/v1/meters/")).hasSizeBetween(1, 3);
    }

    /**
     * A redundant pair after a crash: the node dies while MaintainX refuses its batch (503, nothing
     * stored), the value moves on and the other node, now leading, posts the later value. MaintainX's
     * last reading of the meter is then later than the batch: no evidence that the batch is there.
     */
    @Test
    void aBatchRefusedAsTheNodeDiedIsSentAgainAlthoughTheOtherNodePostedALaterReadingOfItsMeter() throws Exception {
        List<Double> written = new ArrayList<>(write(1, TAGS));
        await().atMost(WAIT).until(() -> sandbox.readings().size() == TAGS);
        sandbox.failNextThen(503, () -> {
            try {
                node.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        gateway.writeTag(paths.get(0), 900.0);
        written.add(900.0);
        await().atMost(WAIT).until(() -> !node.isAlive());
        assertThat(sandbox.readings(700)).extracting(StoredReading::value).doesNotContain(900.0);

        Instant later = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        gateway.writeTag(paths.get(0), 905.0, StatusCodes.Good, later);
        postAsTheOtherNode(700, 905.0, later);
        written.add(905.0);

        node.start();

        assertEachDeliveredOnce(written);
        assertThat(node.log()).contains("in flight at the last stop is not at MaintainX");
        assertThat(sandbox.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/meters")).toList())
                .as("pages of the meter list").isEmpty();
        assertThat(sandbox.readings(700)).extracting(StoredReading::value).containsOnlyOnce(900.0, 905.0);
    }

    /** The Backup's node, leading after the failover, posts the reading as the bridge does. */
    private void postAsTheOtherNode(long meterId, double value, Instant readingDate) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        byte[] body = json.writeValueAsBytes(List.of(new OtherNodesReading(meterId, value, com.plantbridge.reading.ReadingDates.format(readingDate))));
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/meterreadings"))
                .header("Authorization", "Bearer crash-token").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(201);
    }

    private record OtherNodesReading(long meterId, double value, String readingDate) {
    }

    /** Once the node has accepted them, readings are its promise: kill it before the batch delay lets them out. */
    private void awaitAccepted(int count) {
        await().atMost(WAIT).until(() -> {
            var status = node.status();
            return status != null && status.path("connectors").path(0).path("readingsAccepted").asInt() >= count;
        });
    }

    @Test
    void killedTwiceWithReadingsPendingInTheOutbox() throws Exception {
        node.close();
        node = new ChildNode(workDir.resolve("node"), java.nio.file.Files.readString(workDir.resolve("node/config/maintainx.yaml")), Map.of(
                "ignition.opcua.endpoint", gateway.opcUaEndpoint(),
                "ignition.gateway.url", gateway.gatewayUrl(),
                "maintainx.base-url", sandbox.baseUrl(),
                "maintainx.batch-size", "1000",
                "maintainx.batch-delay", "5000",
                "bridge.node-name", "crash-node"));
        node.start();
        await().atMost(WAIT).until(node::isReady);
        List<Double> written = new ArrayList<>(write(1, 30));
        awaitAccepted(30);
        node.kill();
        node.start();
        await().atMost(WAIT).until(node::isReady);
        written.addAll(write(1_000, 30));
        awaitAccepted(30);
        node.kill();
        node.start();
        await().atMost(WAIT).until(node::isReady);
        written.addAll(write(2_000, 20));

        assertEachDeliveredOnce(written);
    }
}
