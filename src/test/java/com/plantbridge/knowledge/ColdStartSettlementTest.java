package com.plantbridge.knowledge;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.tags.SettingsApplier;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new node knows nothing of what MaintainX holds. Its meters are read in the background, in pages
 * (more than a few meters), within half of a tight budget while readings wait; a value that changes
 * meanwhile goes out at once, and each current value is compared with its meter's last reading as
 * soon as the page holding the meter has been read.
 */
class ColdStartSettlementTest {

    private static final int TAGS = 30;
    /** Meters the account holds before the node's own: the node's are on the last pages. */
    private static final int OTHER_METERS = 2_000;
    private static final long FIRST_METER = 50_000;

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private TestNode node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** A node beside the gateway whose tokens have 10 requests per 10 s: tight enough that the reads take turns. */
    private TestNode startNode(String settings) throws Exception {
        return TestNode.builder(workDir.resolve("node"))
                .settings(settings)
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.rate-limit.requests", 10)
                .property("maintainx.rate-limit.window", 10_000)
                .start();
    }

    private static String path(int tag) {
        return "[default]Cold/T" + tag;
    }

    private List<Double> values(int tag) {
        return sandbox.readings(FIRST_METER + tag).stream().map(StoredReading::value).toList();
    }

    @Test
    void changedValuesGoOutBeforeAnyReadFinishesAndEveryCurrentValueIsSettledOnce() throws Exception {
        gateway = SimulatedGateway.builder().name("cold").start();
        sandbox = MaintainxSandbox.start(0).token("cold-token");
        sandbox.rateLimit(10, Duration.ofSeconds(10));
        for (int i = 0; i < OTHER_METERS; i++) {
            sandbox.meter(1_000 + i, "Someone else's meter " + i);
        }
        Instant current = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        StringBuilder tags = new StringBuilder();
        for (int tag = 0; tag < TAGS; tag++) {
            long meter = FIRST_METER + tag;
            sandbox.meter(meter, path(tag));
            gateway.addTag(path(tag), 0.0);
            gateway.writeTag(path(tag), 10.0 + tag, StatusCodes.Good, current);
            if (tag < 10) {
                sandbox.history(meter, 10.0 + tag, current);                 // MaintainX holds the current value
            } else if (tag < 20) {
                sandbox.history(meter, -1.0, current.minusSeconds(60));      // an older value
            }                                                                 // the rest hold no reading
            tags.append("      - path: \"").append(path(tag)).append("\"\n        meter-id: ").append(meter).append('\n');
        }
        node = startNode("connectors:\n  - name: line-1\n    token: cold-token\n    tags:\n" + tags);
        await().atMost(Duration.ofSeconds(30)).until(() -> node.connectorStatus("line-1").get("subscribed").asBoolean());

        gateway.writeTag(path(0), 999.0);

        await().atMost(Duration.ofSeconds(30)).until(() -> values(0).contains(999.0));
        Instant changeStored = sandbox.readings(FIRST_METER).stream().filter(r -> r.value() == 999.0).findFirst().orElseThrow().createdAt();

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(node.connectorStatus("line-1").get("settlement").get("waiting").asInt() == 0
                && node.connectorStatus("line-1").get("currentValuesWaiting").asInt() == 0
                && IntStream.range(10, TAGS).allMatch(tag -> !values(tag).isEmpty()))
                .as("settled: %s; %d requests, the last %s", node.connectorStatus("line-1"), sandbox.requests().size(),
                        sandbox.requests().subList(Math.max(0, sandbox.requests().size() - 5), sandbox.requests().size())).isTrue());
        assertThat(values(0)).as("held already; then the change").containsExactly(999.0);
        for (int tag = 1; tag < 10; tag++) {
            assertThat(values(tag)).as("tag %d: MaintainX holds its current value", tag).isEmpty();
        }
        for (int tag = 10; tag < TAGS; tag++) {
            assertThat(values(tag)).as("tag %d: current value sent once", tag).containsExactly(10.0 + tag);
        }
        List<RequestRecord> requests = sandbox.requests();
        List<RequestRecord> pages = requests.stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/meters")).toList();
        assertThat(pages.size()).as("pages of 200 until the node's meters were seen").isEqualTo((OTHER_METERS + TAGS + 199) / 200);
        assertThat(changeStored).as("the change went out while the meters were still being read").isBefore(pages.get(pages.size() - 1).time());
        assertThat(requests.stream().filter(r -> r.status() == 429).collect(Collectors.toList())).as("429 answers").isEmpty();
    }

    /**
     * Connectors of one organisation share one walk of the pages, and a connector whose current values arrive
     * while the walk is under way (its subscription came later) lends it its token: each page goes with the
     * waiting connector's token that has most requests left, not with the first connector's for the whole walk.
     */
    @Test
    void aConnectorJoiningTheWalkLendsItsTokenToThePages() throws Exception {
        gateway = SimulatedGateway.builder().name("cold-two").start();
        sandbox = MaintainxSandbox.start(0).token("walk-a").token("walk-b");
        sandbox.rateLimit(10, Duration.ofSeconds(10));
        for (int i = 0; i < OTHER_METERS; i++) {
            sandbox.meter(1_000 + i, "Someone else's meter " + i);
        }
        String lineA = joiningLine("line-a", "walk-a", 0);
        String lineB = joiningLine("line-b", "walk-b", 100);
        node = startNode("connectors:\n" + lineA);
        // The node's meters are on the last page: the walk is under way, line-a's token spending its window on it.
        await().atMost(Duration.ofSeconds(30)).until(() -> node.connectorStatus("line-a").path("settlement").path("pages").asInt() >= 1);
        // Saved settings that add line-b, through the node's settings path.
        node.context().getRegistry().lookupByNameAndType("settingsApplier", SettingsApplier.class)
                .apply(new ModuleSettingsLoader().parse("maintainx.yaml", "connectors:\n" + lineA + lineB));

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (String line : List.of("line-a", "line-b")) {
                assertThat(node.connectorStatus(line).path("currentValuesWaiting").asInt()).as("%s: current values waiting", line).isZero();
            }
            for (int tag = 0; tag < JOINING_TAGS; tag++) {
                assertThat(values(tag)).as("line-a tag %d: no reading held, current value sent", tag).containsExactly(10.0 + tag);
                assertThat(values(100 + tag)).as("line-b tag %d: no reading held, current value sent", tag).containsExactly(110.0 + tag);
            }
        });
        List<RequestRecord> pages = sandbox.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/meters")).toList();
        assertThat(pages).as("pages read with line-b's token once it waited too").anySatisfy(page -> assertThat(page.token()).isEqualTo("walk-b"));
        assertThat(pages).as("pages read with line-a's token").anySatisfy(page -> assertThat(page.token()).isEqualTo("walk-a"));
        assertThat(sandbox.requests().stream().filter(r -> r.status() == 429).collect(Collectors.toList())).as("429 answers").isEmpty();
    }

    /** More meters than are read one by one: they are read in pages. */
    private static final int JOINING_TAGS = 25;

    /** A connector of {@value #JOINING_TAGS} tags from {@code first} whose meters hold no reading yet. */
    private String joiningLine(String name, String token, int first) {
        StringBuilder line = new StringBuilder("  - name: " + name + "\n    token: " + token + "\n    tags:\n");
        for (int tag = first; tag < first + JOINING_TAGS; tag++) {
            sandbox.meter(FIRST_METER + tag, path(tag));
            gateway.addTag(path(tag), 0.0);
            gateway.writeTag(path(tag), 10.0 + tag, StatusCodes.Good, Instant.now().minusSeconds(600));
            line.append("      - path: \"").append(path(tag)).append("\"\n        meter-id: ").append(FIRST_METER + tag).append('\n');
        }
        return line.toString();
    }
}
