package com.plantbridge.maintainx;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.tags.SettingsApplier;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connector's token changes through the node's settings path (SettingsApplier, as a saved file
 * or PUT /api/settings apply it) while tag values keep changing, whatever its sender is doing:
 * refused token, backing off after 503s, waiting for the rate limit, draining a backlog. The change
 * returns at once, readings then flow with the new token, and every accepted reading reaches
 * MaintainX once.
 */
class SettingsChangeUnderLoadTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TAGS = 4;

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private TestNode node;
    private final List<String> paths = new ArrayList<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private Thread writer;
    private double nextValue = 1;

    @BeforeEach
    void start() {
        gateway = SimulatedGateway.builder().name("settings-load").start();
        sandbox = MaintainxSandbox.start(0).token("new-token");
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < TAGS; i++) {
            String path = "[default]Load/T" + i;
            paths.add(path);
            gateway.addTag(path, 0.0);
            gateway.writeTag(path, 0.0, StatusCodes.Good, past);
            sandbox.meter(900 + i, path).history(900 + i, 0.0, past);
        }
    }

    @AfterEach
    void stop() throws Exception {
        stopWriting();
        if (node != null) {
            node.close();
        }
        sandbox.close();
        gateway.close();
    }

    private String settings(String token) {
        StringBuilder yaml = new StringBuilder("connectors:\n  - name: line-1\n    token: " + token + "\n    tags:\n");
        for (int i = 0; i < TAGS; i++) {
            yaml.append("      - path: \"").append(paths.get(i)).append("\"\n        meter-id: ").append(900 + i).append('\n');
        }
        return yaml.toString();
    }

    private void startNode(String token, Object... properties) {
        TestNode.Builder builder = TestNode.builder(workDir).settings(settings(token))
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.batch-size", 10)
                .property("maintainx.batch-delay", 100)
                .property("maintainx.max-backoff", 1000)
                .property("maintainx.auth-retry", 500)
                .property("maintainx.watchdog.stall-after", 1500);
        for (int i = 0; i < properties.length; i += 2) {
            builder.property((String) properties[i], properties[i + 1]);
        }
        try {
            node = builder.start();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        await().atMost(WAIT).until(() -> connector().get("subscribed").asBoolean());
    }

    private JsonNode connector() {
        return node.connectorStatus("line-1");
    }

    /** Tag values change every 20 ms, round-robin, each a value never written before. */
    private void startWriting() {
        writing.set(true);
        writer = new Thread(() -> {
            int i = 0;
            while (writing.get()) {
                gateway.writeTag(paths.get(i++ % TAGS), nextValue++);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-writer");
        writer.start();
    }

    private void stopWriting() throws InterruptedException {
        writing.set(false);
        if (writer != null) {
            writer.join();
        }
    }

    /** The token changes through the settings path; the call must come back although the sender is stuck. */
    private void changeTokenTo(String token) throws Exception {
        SettingsApplier applier = node.context().getRegistry().lookupByNameAndType("settingsApplier", SettingsApplier.class);
        var next = new ModuleSettingsLoader().parse("maintainx.yaml", settings(token));
        CompletableFuture<Void> change = CompletableFuture.runAsync(() -> {
            try {
                applier.apply(next);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT).until(change::isDone);
        change.get();
    }

    /** Writes for a while after the change, stops, and checks that what was accepted arrived once. */
    private List<StoredReading> finishAndCheckEveryAcceptedReadingArrivedOnce() throws Exception {
        Thread.sleep(1_500);
        stopWriting();
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() == 0 && connector().get("inFlight").asInt() == 0
                && connector().get("readingsAccepted").asInt() == sandbox.readings().size());
        List<StoredReading> stored = sandbox.readings();
        Map<String, Long> copies = stored.stream().collect(Collectors.groupingBy(
                r -> r.meterId() + ":" + r.value() + "@" + r.readingDate(), Collectors.counting()));
        assertThat(copies.values()).as("copies of each reading").allMatch(n -> n == 1);
        assertThat(connector().get("quarantined").asInt()).isZero();
        assertThat(stored).as("readings after the change").anyMatch(r -> "new-token".equals(r.token()));
        for (int i = 0; i < TAGS; i++) {
            String path = paths.get(i);
            double last = gateway.changes().stream().filter(c -> c.path().equals(path)).reduce((a, b) -> b)
                    .map(c -> ((Number) c.value()).doubleValue()).orElseThrow();
            assertThat(sandbox.readings(900 + i)).extracting(StoredReading::value).as("the last value of %s", path).contains(last);
        }
        assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).as("deadlocked threads").isNull();
        assertThat(connector().get("state").asText()).isEqualTo("OK");
        return stored;
    }

    @Test
    void aTokenFixedWhileMaintainxRefusesTheOldOneDeliversEverythingWithTheNewOne() throws Exception {
        startNode("wrong-token");
        startWriting();
        await().atMost(WAIT).until(() -> "AUTH_ERROR".equals(connector().get("state").asText()) && connector().get("pending").asInt() > 0);
        // The watchdog sees a sender that makes no progress while readings wait.
        await().atMost(WAIT).untilAsserted(() -> assertThat(node.health().body())
                .contains("maintainx-sender-progress").contains("line-1").contains("AUTH_ERROR").contains("no progress since"));
        assertThat(connector().get("stalledSince").isNull()).as("status stalledSince").isFalse();

        changeTokenTo("new-token");

        List<StoredReading> stored = finishAndCheckEveryAcceptedReadingArrivedOnce();
        assertThat(stored).extracting(StoredReading::token).containsOnly("new-token");
        await().atMost(WAIT).until(() -> node.health().statusCode() == 200);
        assertThat(connector().get("stalledSince").isNull()).isTrue();
    }

    @Test
    void aTokenChangedWhileTheSenderBacksOffAfter503sDeliversEverythingWithTheNewOne() throws Exception {
        sandbox.token("old-token");
        sandbox.failNext(100_000, 503);
        startNode("old-token");
        startWriting();
        await().atMost(WAIT).until(() -> "BACKING_OFF".equals(connector().get("activity").asText()) && connector().get("pending").asInt() > 0);

        changeTokenTo("new-token");
        assertThat(sandbox.readings()).isEmpty();
        sandbox.reset();   // MaintainX answers again

        List<StoredReading> stored = finishAndCheckEveryAcceptedReadingArrivedOnce();
        assertThat(stored).extracting(StoredReading::token).containsOnly("new-token");
    }

    @Test
    void aTokenChangedWhileTheSenderWaitsForTheRateLimitDeliversEverythingWithTheNewOne() throws Exception {
        sandbox.token("old-token");
        sandbox.rateLimit(30, Duration.ofSeconds(60));
        startNode("old-token");
        spendQuota("old-token");   // another client of the old token uses its window up
        startWriting();
        // The node's first request with the old token is refused (a reading's POST or a settlement's GET, whichever goes
        // first); from then on it waits for the window to reset, its readings queued.
        await().atMost(WAIT).until(() -> "WAITING_FOR_REQUEST_SLOT".equals(connector().get("activity").asText())
                && connector().get("pending").asInt() > 0);
        assertThat(sandbox.requests()).as("the node was refused by the rate limit")
                .anyMatch(r -> r.status() == 429 && "old-token".equals(r.token()) && r.userAgent() != null && r.userAgent().contains("(node "));

        changeTokenTo("new-token");

        List<StoredReading> stored = finishAndCheckEveryAcceptedReadingArrivedOnce();
        assertThat(stored).extracting(StoredReading::token).containsOnly("new-token");
    }

    @Test
    void aTokenChangedWhileTheSenderDrainsABacklogLosesAndDoublesNothing() throws Exception {
        sandbox.token("old-token");
        sandbox.failNext(100_000, 503);
        startNode("old-token");
        startWriting();
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() >= 60);
        sandbox.reset();   // MaintainX is back: the backlog drains in batches of 10
        await().atMost(WAIT).until(() -> !sandbox.readings().isEmpty());

        changeTokenTo("new-token");

        List<StoredReading> stored = finishAndCheckEveryAcceptedReadingArrivedOnce();
        assertThat(stored).extracting(StoredReading::token).contains("old-token", "new-token");
    }

    private void spendQuota(String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int status;
        do {
            status = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/meterreadings"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } while (status == 201);
        assertThat(status).isEqualTo(429);
    }
}
