package com.plantbridge.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.gateway.SimulatedGatewayPair;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;

import static org.awaitility.Awaitility.await;

/**
 * A redundant pair as a site runs it: two simulated gateways (Master, Backup), one node beside
 * each, told each other's admin URL and the shared secret, and one MaintainX fake.
 */
public final class PairFixture implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    public static final String SECRET = "test-peer-secret";
    private static final AtomicLong NEXT_METER = new AtomicLong(5000);

    public final SimulatedGatewayPair gateways;
    public final MaintainxSandbox sandbox;
    public final String tagPath;
    public final long meterId;
    /** All tags of the connector (the first is {@link #tagPath}), each with its own meter. */
    public final List<String> tagPaths = new java.util.ArrayList<>();
    public final List<Long> meterIds = new java.util.ArrayList<>();
    public TestNode masterNode;
    public TestNode backupNode;

    public PairFixture(Path workDir, String source, Object... extraProperties) throws Exception {
        this(1, workDir, source, extraProperties);
    }

    public static PairFixture withTags(int tags, Path workDir, String source, Object... extraProperties) throws Exception {
        return new PairFixture(tags, workDir, source, extraProperties);
    }

    private PairFixture(int tags, Path workDir, String source, Object[] extraProperties) throws Exception {
        gateways = SimulatedGatewayPair.start(0, 0, 0, 0);
        sandbox = MaintainxSandbox.start(0).token("pair-token");
        Instant past = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (int i = 0; i < tags; i++) {
            long meter = NEXT_METER.getAndIncrement();
            String path = "[default]Pair/Level-" + meter;
            meterIds.add(meter);
            tagPaths.add(path);
            sandbox.meter(meter, path);
            sandbox.history(meter, 0.0, past);
            for (SimulatedGateway gateway : List.of(gateways.master(), gateways.backup())) {
                gateway.addTag(path, 0.0);
                gateway.writeTag(path, 0.0, StatusCodes.Good, past);
            }
        }
        tagPath = tagPaths.get(0);
        meterId = meterIds.get(0);
        int masterPort = FreePort.next();
        int backupPort = FreePort.next();
        masterNode = node(workDir.resolve("master"), gateways.master(), masterPort, backupPort, source, extraProperties);
        backupNode = node(workDir.resolve("backup"), gateways.backup(), backupPort, masterPort, source, extraProperties);
    }

    private TestNode node(Path dir, SimulatedGateway gateway, int ownPort, int peerPort, String source, Object... extra) throws Exception {
        TestNode.Builder builder = TestNode.builder(dir)
                .adminPort(ownPort)
                .settings(settings())
                .property("bridge.node-name", gateway.name() + "-node")
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("ignition.redundancy.source", source)
                .property("bridge.peer.url", "http://127.0.0.1:" + peerPort)
                .property("bridge.peer.secret", SECRET)
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.batch-delay", 100);
        for (int i = 0; i < extra.length; i += 2) {
            builder.property((String) extra[i], extra[i + 1]);
        }
        return builder.start();
    }

    private String settings() {
        StringBuilder yaml = new StringBuilder("connectors:\n  - name: line-1\n    token: pair-token\n    tags:\n");
        for (int i = 0; i < tagPaths.size(); i++) {
            yaml.append("      - path: \"").append(tagPaths.get(i)).append("\"\n        meter-id: ").append(meterIds.get(i)).append('\n');
        }
        return yaml.toString();
    }

    public static boolean isLeader(TestNode node) {
        return node.status().get("redundancy").get("leader").asBoolean();
    }

    public static JsonNode redundancy(TestNode node) {
        return node.status().get("redundancy");
    }

    /** Waits until exactly the given node leads and its tag route has subscribed. */
    public void awaitSoleLeader(TestNode leader) {
        TestNode other = leader == masterNode ? backupNode : masterNode;
        await().atMost(WAIT).until(() -> isLeader(leader) && !isLeader(other)
                && leader.connectorStatus("line-1").get("subscribed").asBoolean());
    }

    public List<StoredReading> readings() {
        return sandbox.readings(meterId);
    }

    /** Readings of one value, with the node that sent each (from the User-Agent). */
    public List<String> sendersOf(double value) {
        return readings().stream().filter(r -> r.value() == value)
                .map(r -> r.userAgent().replaceAll(".*\\(node (.*)\\)", "$1")).toList();
    }

    @Override
    public void close() {
        for (TestNode node : new TestNode[] {masterNode, backupNode}) {
            if (node != null) {
                try {
                    node.close();
                } catch (RuntimeException e) {
                    // the other node and the servers must still stop
                }
            }
        }
        gateways.close();
        sandbox.close();
    }
}
