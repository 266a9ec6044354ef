package com.plantbridge.redundancy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.Outbox;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.testing.SlowStartComponent;
import com.plantbridge.testing.TestNode;
import com.plantbridge.testing.ThreadDump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node stopped while its gateway turns Active, that is while the node is taking leadership and
 * starting its routes, stops. Before the fix one such stop in five hung for good: camel-main's
 * stop waited for ClusteredRoutePolicy's lock, held by the leadership thread that was starting a
 * route whose lock the stop held. Beside the connector routes each node has a route under the same
 * leadership whose consumer takes {@value SlowStartComponent#START_MILLIS} ms to start (a
 * connector route under load), so that the stop lands while the leadership thread starts routes.
 * {@code -Dshutdown.repetitions=50} runs the full count.
 */
class ShutdownWhileTakingLeadershipTest {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownWhileTakingLeadershipTest.class);
    private static final int REPETITIONS = Integer.getInteger("shutdown.repetitions", 5);
    private static final Duration STOP_BOUND = Duration.ofSeconds(60);
    private static final int CONNECTORS = 3;
    private static final String TAG = "[default]Shutdown/Level-";
    private static final String TOKEN = "shutdown-token";

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private final ExecutorService stopper = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-node-stop"));

    @BeforeEach
    void start() {
        gateway = SimulatedGateway.builder().name("shutdown").role("Master").activityLevel("Cold").start();
        sandbox = MaintainxSandbox.start(0).token(TOKEN);
        for (int i = 0; i < CONNECTORS; i++) {
            gateway.addTag(TAG + i, 1.0);
            sandbox.meter(401 + i, TAG + i);
        }
    }

    @AfterEach
    void stop() {
        stopper.shutdownNow();
        sandbox.close();
        gateway.close();
    }

    @Test
    void aNodeStoppedWhileItTakesLeadershipStopsEveryTime() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int run = 1; run <= REPETITIONS; run++) {
            gateway.setRedundancy("Master", "Cold");
            TestNode node = startNode(workDir.resolve("run-" + run));
            await().atMost(Duration.ofSeconds(30)).until(() -> "Cold".equals(node.status().path("redundancy").path("activityLevel").asText()));
            int startsBefore = SlowStartComponent.STARTS.get();
            int delay = random.nextInt(50);

            gateway.setRedundancy("Master", "Active");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> SlowStartComponent.STARTS.get() > startsBefore);
            Thread.sleep(delay);
            long stopAt = System.nanoTime();
            Future<?> stopping = stopper.submit(node::close);

            try {
                stopping.get(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("run " + run + " of " + REPETITIONS + " (seed " + seed + ", stopped " + delay
                        + " ms into taking leadership): the node did not stop within " + STOP_BOUND.toSeconds() + " s\n" + ThreadDump.all());
            }
            LOG.info("run {} of {}: stopped {} ms into taking leadership, in {} ms", run, REPETITIONS, delay,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt));
            assertNoBatchLeftInFlight(workDir.resolve("run-" + run), run);
        }
        assertThat(SlowStartComponent.STARTS.get()).as("leadership taken in every run").isGreaterThanOrEqualTo(REPETITIONS);
    }

    /**
     * The senders drain while camel-http still runs: no POST was cut off by the stop. Before the fix the drain ran after
     * Camel had shut the connection pool down, so a batch accepted as leadership was taken stayed in flight, unanswered.
     */
    private static void assertNoBatchLeftInFlight(Path dir, int run) throws Exception {
        Outbox outbox = new Outbox(dir.resolve("data"), 1_000);
        outbox.start();
        try {
            for (int i = 0; i < CONNECTORS; i++) {
                assertThat(outbox.unsettled("line-" + i)).as("run %d: batches of line-%d left in flight by the stop", run, i).isEmpty();
            }
        } finally {
            outbox.stop();
        }
    }

    private TestNode startNode(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes/slow-start.yaml"), """
                - beans:
                    - name: slow-start
                      type: com.plantbridge.testing.SlowStartComponent
                - route:
                    id: slow-start
                    routePolicy: leaderOnly
                    from:
                      uri: "slow-start:leader"
                      steps:
                        - log: "never sends"
                """);
        StringBuilder settings = new StringBuilder("connectors:\n");
        for (int i = 0; i < CONNECTORS; i++) {
            settings.append("  - name: line-").append(i).append("\n    token: ").append(TOKEN).append("\n    tags:\n      - path: \"")
                    .append(TAG).append(i).append("\"\n        meter-id: ").append(401 + i).append('\n');
        }
        return TestNode.builder(dir).settings(settings.toString())
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("ignition.redundancy.poll-interval", 50)
                .property("ignition.redundancy.debounce", 50)
                .start();
    }
}
