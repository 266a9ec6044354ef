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
    /** At least 32 characters, as bridge.peer.secret requires. */
    public static final String SECRET = "test-peer-secret-0f5e2b9c4d7a4e1b8c3f";
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

    private final Path workDir;
    private final String source;
    private final int masterPort;
    private final int backupPort;
    private final Object[] extraProperties;
    /** The nodes' keys and certificates when they serve HTTPS, else null. */
    private final TlsPair tls;
    /** The nodes' settings file when given, else {@link #settings()} makes one from the tags. */
    private final String settingsYaml;

    public PairFixture(Path workDir, String source, Object... extraProperties) throws Exception {
        this(1, workDir, source, SimulatedGatewayPair.COLD, java.util.Map.of(), java.util.function.UnaryOperator.identity(), extraProperties);
    }

    public static PairFixture withTags(int tags, Path workDir, String source, Object... extraProperties) throws Exception {
        return new PairFixture(tags, workDir, source, SimulatedGatewayPair.COLD, java.util.Map.of(), java.util.function.UnaryOperator.identity(),
                extraProperties);
    }

    /** A pair whose gateway that is not Active is Warm: its tags run and are Good. */
    public static PairFixture warm(int tags, Path workDir, Object... extraProperties) throws Exception {
        return new PairFixture(tags, workDir, "gwinfo", SimulatedGatewayPair.WARM, java.util.Map.of(), java.util.function.UnaryOperator.identity(),
                extraProperties);
    }

    /** A pair whose Backup's node gets some settings of its own (e.g. another version or secret). */
    public static PairFixture withBackupOverrides(Path workDir, java.util.Map<String, Object> backupOverrides) throws Exception {
        return new PairFixture(1, workDir, "gwinfo", SimulatedGatewayPair.COLD, backupOverrides, java.util.function.UnaryOperator.identity(),
                new Object[0]);
    }

    /**
     * A pair whose gateways accept only this OPC UA user, and whose nodes log in with it. A password
     * goes only to a gateway whose certificate the node trusts: here the first one it sees.
     */
    public static PairFixture withOpcUaUser(Path workDir, String username, String password) throws Exception {
        return new PairFixture(1, workDir, "gwinfo", SimulatedGatewayPair.COLD, java.util.Map.of(), b -> b.user(username, password),
                new Object[] {"ignition.opcua.username", username, "ignition.opcua.password", password,
                        "ignition.opcua.trust-on-first-use", true});
    }

    /**
     * A pair whose gateways both get {@code gatewaySetup} (e.g. a folder of tags) before the nodes
     * start, and whose nodes run {@code settingsYaml} (its connector must be named line-1, token pair-token).
     */
    public static PairFixture withSettings(Path workDir, java.util.function.Consumer<SimulatedGateway> gatewaySetup, String settingsYaml,
                                           Object... extraProperties) throws Exception {
        return new PairFixture(1, workDir, "gwinfo", SimulatedGatewayPair.COLD, java.util.Map.of(), java.util.function.UnaryOperator.identity(),
                gatewaySetup, settingsYaml, null, extraProperties);
    }

    /**
     * A pair whose nodes serve HTTPS only, with the keys and certificates of {@code tls}, and reach each
     * other at https:// URLs, each checking the other's certificate against the pair CA.
     */
    public static PairFixture withTls(Path workDir, TlsPair tls, Object... extraProperties) throws Exception {
        return new PairFixture(1, workDir, "gwinfo", SimulatedGatewayPair.COLD, java.util.Map.of(), java.util.function.UnaryOperator.identity(),
                g -> { }, null, tls, extraProperties);
    }

    private PairFixture(int tags, Path workDir, String source, String standbyLevel, java.util.Map<String, Object> backupOverrides,
                        java.util.function.UnaryOperator<SimulatedGateway.Builder> gatewayOptions, Object[] extraProperties) throws Exception {
        this(tags, workDir, source, standbyLevel, backupOverrides, gatewayOptions, g -> { }, null, null, extraProperties);
    }

    private PairFixture(int tags, Path workDir, String source, String standbyLevel, java.util.Map<String, Object> backupOverrides,
                        java.util.function.UnaryOperator<SimulatedGateway.Builder> gatewayOptions,
                        java.util.function.Consumer<SimulatedGateway> gatewaySetup, String settingsYaml, TlsPair tls,
                        Object[] extraProperties) throws Exception {
        this.workDir = workDir;
        this.tls = tls;
        this.source = source;
        this.extraProperties = extraProperties;
        this.settingsYaml = settingsYaml;
        gateways = SimulatedGatewayPair.start(0, 0, 0, 0, standbyLevel, gatewayOptions);
        gatewaySetup.accept(gateways.master());
        gatewaySetup.accept(gateways.backup());
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
        masterPort = FreePort.next();
        backupPort = FreePort.next();
        masterNode = node(workDir.resolve("master"), gateways.master(), masterPort, backupPort, settings(), java.util.Map.of());
        backupNode = node(workDir.resolve("backup"), gateways.backup(), backupPort, masterPort, settings(), backupOverrides);
    }

    /** Stops the Backup's node, forgets everything it was mirrored, and starts it with the given settings file. */
    public void restartBackupEmpty(String settingsYaml) throws Exception {
        backupNode.close();
        org.apache.camel.util.FileUtil.removeDir(workDir.resolve("backup/data").toFile());
        backupNode = node(workDir.resolve("backup"), gateways.backup(), backupPort, masterPort, settingsYaml, java.util.Map.of());
    }

    /** Starts the Master's node again (after a test closed it), with its data dir as it was. */
    public void restartMaster() throws Exception {
        restartMaster(java.util.Map.of());
    }

    /** Starts the Master's node again with some settings of its own (e.g. another secret). */
    public void restartMaster(java.util.Map<String, Object> overrides) throws Exception {
        masterNode = node(workDir.resolve("master"), gateways.master(), masterPort, backupPort, settings(), overrides);
    }

    /** Starts the Master's node again (after a test closed it) as after a lost data dir: data/ deleted, its settings file as it is. */
    public void restartMasterWithoutDataDir() throws Exception {
        org.apache.camel.util.FileUtil.removeDir(workDir.resolve("master/data").toFile());
        masterNode = node(workDir.resolve("master"), gateways.master(), masterPort, backupPort, null, java.util.Map.of());
    }

    public Path settingsFile(TestNode node) {
        return node.workDir().resolve("config/maintainx.yaml");
    }

    private TestNode node(Path dir, SimulatedGateway gateway, int ownPort, int peerPort, String settingsYaml,
                          java.util.Map<String, Object> overrides) throws Exception {
        Object[] extra = extraProperties;
        TestNode.Builder builder = TestNode.builder(dir)
                .adminPort(ownPort)
                .settings(settingsYaml)
                .property("bridge.node-name", gateway.name() + "-node")
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("ignition.redundancy.source", source)
                .property("bridge.peer.url", (tls == null ? "http" : "https") + "://127.0.0.1:" + peerPort)
                .property("bridge.peer.secret", SECRET)
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.batch-delay", 100);
        if (tls != null) {
            builder.tls(dir.endsWith("master") ? tls.master : tls.backup);
        }
        for (int i = 0; i < extra.length; i += 2) {
            builder.property((String) extra[i], extra[i + 1]);
        }
        overrides.forEach(builder::property);
        return builder.start();
    }

    public String settings() {
        if (settingsYaml != null) {
            return settingsYaml;
        }
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
        awaitSoleLeader(leader, WAIT);
    }

    public void awaitSoleLeader(TestNode leader, Duration wait) {
        TestNode other = leader == masterNode ? backupNode : masterNode;
        try {
            await().atMost(wait).until(() -> isLeader(leader) && !isLeader(other)
                    && leader.connectorStatus("line-1").get("subscribed").asBoolean());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no sole leader: expected " + leader.adminUrl() + "; redundancy " + redundancy(leader)
                    + ", connector " + leader.connectorStatus("line-1") + "; the other node " + redundancy(other), e);
        }
    }

    /** Until the Backup's node holds the Master's node's settings: without them it never leads (the mirror's rule). */
    public void awaitBackupMirrored() {
        await().atMost(WAIT).until(() -> backupNode.status().at("/settings/version").asLong() >= 1);
    }

    /** Until this node leads; the node's redundancy view in the failure when it does not. */
    public void awaitLeader(TestNode node, Duration wait) {
        try {
            await().atMost(wait).until(() -> isLeader(node));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not leading: " + node.adminUrl() + "; redundancy " + redundancy(node), e);
        }
    }

    public List<StoredReading> readings() {
        return sandbox.readings(meterId);
    }

    /** Readings of one value, with the node that sent each (from the User-Agent). */
    public List<String> sendersOf(double value) {
        return readings().stream().filter(r -> r.value() == value)
                .map(StoredReading::sender).toList();
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
