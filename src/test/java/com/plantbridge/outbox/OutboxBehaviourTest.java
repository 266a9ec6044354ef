package com.plantbridge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.FreePort;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox through a MaintainX outage, at its bound, and with readings MaintainX refuses for good. */
class OutboxBehaviourTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TAGS = 5;

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private TestNode node;
    private final int maintainxPort = FreePort.next();
    private final List<String> paths = new ArrayList<>();
    private final Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void startGateway() {
        gateway = SimulatedGateway.builder().name("outbox").start();
        for (int i = 0; i < TAGS; i++) {
            String path = "[default]Outbox/T" + i;
            paths.add(path);
            gateway.addTag(path, 0.0);
            gateway.writeTag(path, 0.0, StatusCodes.Good, past);
        }
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        gateway.close();
    }

    private void startMaintainx() {
        sandbox = MaintainxSandbox.start(maintainxPort).token("outbox-token");
        for (int i = 0; i < TAGS; i++) {
            sandbox.meter(800 + i, paths.get(i)).history(800 + i, 0.0, past);
        }
    }

    private void startNode(Object... properties) throws Exception {
        StringBuilder yaml = new StringBuilder("connectors:\n  - name: line-1\n    token: outbox-token\n    tags:\n");
        for (int i = 0; i < TAGS; i++) {
            yaml.append("      - path: \"").append(paths.get(i)).append("\"\n        meter-id: ").append(800 + i).append('\n');
        }
        TestNode.Builder builder = TestNode.builder(workDir).settings(yaml.toString())
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", "http://127.0.0.1:" + maintainxPort + "/v1")
                .property("maintainx.max-backoff", 1000);
        for (int i = 0; i < properties.length; i += 2) {
            builder.property((String) properties[i], properties[i + 1]);
        }
        node = builder.start();
        await().atMost(WAIT).until(() -> node.connectorStatus("line-1").get("subscribed").asBoolean());
    }

    private JsonNode connector() {
        return node.connectorStatus("line-1");
    }

    @Test
    void readingsWaitOnDiskThroughAnOutageAndDrainOnceInOrderInLargeBatches() throws Exception {
        startNode("maintainx.batch-size", 500, "maintainx.batch-delay", 100);
        List<Double> written = new ArrayList<>();
        for (int round = 1; round <= 10; round++) {
            for (int t = 0; t < TAGS; t++) {
                double value = round * 10 + t;
                gateway.writeTag(paths.get(t), value);
                written.add(value);
            }
            Thread.sleep(20);
        }
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() + connector().get("inFlight").asInt() == written.size());
        assertThat(connector().get("state").asText()).isEqualTo("RETRYING");

        startMaintainx();

        await().atMost(WAIT).until(() -> sandbox.readings().size() == written.size());
        assertThat(sandbox.readings()).extracting(StoredReading::value).containsExactlyInAnyOrderElementsOf(written);
        for (int t = 0; t < TAGS; t++) {
            List<StoredReading> meter = sandbox.readings(800 + t);
            assertThat(meter).as("meter %d stored in order of reading date", 800 + t)
                    .isSortedAccordingTo(Comparator.comparing(StoredReading::readingDate));
        }
        List<RequestRecord> posts = sandbox.requests().stream().filter(r -> r.method().equals("POST")).toList();
        // The batch in flight when MaintainX went away, then everything that waited on disk in one request.
        assertThat(posts).hasSizeLessThanOrEqualTo(2);
        assertThat(posts).extracting(RequestRecord::readingCount).contains(written.size() - posts.get(0).readingCount() > 0
                ? written.size() - posts.get(0).readingCount() : written.size());
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() == 0 && "OK".equals(connector().get("state").asText()));
    }

    @Test
    void atItsBoundTheOutboxKeepsTheLatestValuePerTagAndMinuteAndSaysSo() throws Exception {
        // A batch of at most 5 in flight (not merged): merging the pending rest must be enough, no drop.
        startNode("bridge.outbox.max-readings", 20, "maintainx.batch-size", 5);
        for (int i = 1; i <= 45; i++) {
            gateway.writeTag(paths.get(0), (double) i);
            Thread.sleep(10);   // within the server's queue of 20 values per publishing interval
        }
        await().atMost(WAIT).until(() -> node.status().get("outbox").get("conflatedAtBound").asInt() > 0);
        JsonNode outbox = node.status().get("outbox");
        assertThat(outbox.get("held").asInt()).isLessThanOrEqualTo(20);
        assertThat(outbox.get("droppedAtBound").asInt()).isZero();

        startMaintainx();

        await().atMost(WAIT).until(() -> sandbox.readings(800).stream().anyMatch(r -> r.value() == 45.0));
        assertThat(sandbox.readings(800)).as("readings of the bounded tag").extracting(StoredReading::value).hasSizeLessThan(45);
    }

    @Test
    void refusedAndTooOldReadingsAreQuarantinedListedAndReplayed() throws Exception {
        startMaintainx();
        sandbox.rejectWhen(r -> r.value() == 666.0, "value out of range");
        startNode();

        gateway.writeTag(paths.get(0), 666.0);
        gateway.writeTag(paths.get(1), 5.0, StatusCodes.Good, Instant.now().minus(Duration.ofDays(4)));
        gateway.writeTag(paths.get(2), 7.0);

        await().atMost(WAIT).until(() -> connector().get("quarantined").asInt() == 2);
        await().atMost(WAIT).until(() -> sandbox.readings(802).size() == 1);
        JsonNode list = json(node.adminUrl() + "/api/quarantine?connector=line-1");
        assertThat(list.toString()).contains("value out of range").contains("older than MaintainX accepts (3 days");

        sandbox.reset();   // the cause is fixed at MaintainX
        var replay = node.post("/api/quarantine/replay?connector=line-1");
        assertThat(replay.body()).contains("\"replayed\":2");

        await().atMost(WAIT).until(() -> sandbox.readings(800).size() == 1);
        assertThat(sandbox.readings(800).get(0).value()).isEqualTo(666.0);
        // Still too old for MaintainX: back in quarantine with the same reason, not lost.
        await().atMost(WAIT).until(() -> connector().get("quarantined").asInt() == 1);
        assertThat(node.post("/api/quarantine/replay?connector=nope").statusCode()).isEqualTo(400);
    }

    private static JsonNode json(String url) throws Exception {
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
    }
}
