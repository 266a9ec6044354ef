package com.plantbridge.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One node beside one simulated Independent gateway, with a MaintainX fake and one connector
 * ({@value #CONNECTOR}) whose tags each have their own meter. Every tag's current value is a minute
 * old and already MaintainX's last reading, as on a running site: each reading comes from a change.
 */
public final class GatewayNodeFixture implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    public static final String CONNECTOR = "line-1";
    public static final String TOKEN = "fixture-token";
    private static final AtomicLong NEXT_METER = new AtomicLong(20_000);

    public final SimulatedGateway gateway;
    public final MaintainxSandbox sandbox;
    public final List<String> tagPaths = new ArrayList<>();
    public final List<Long> meterIds = new ArrayList<>();
    public TestNode node;

    private GatewayNodeFixture(Path workDir, int tags, Map<String, Object> otherTags, List<String> missingTags,
                               UnaryOperator<SimulatedGateway.Builder> gatewaySetup, Map<String, Object> properties) throws Exception {
        gateway = gatewaySetup.apply(SimulatedGateway.builder().name("fixture")).start();
        sandbox = MaintainxSandbox.start(0).token(TOKEN);
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < tags; i++) {
            add("[default]Fixture/Level-", 0.0, past);
        }
        otherTags.forEach((name, value) -> add("[default]Fixture/" + name + "-", value, past));
        StringBuilder yaml = new StringBuilder("connectors:\n  - name: " + CONNECTOR + "\n    token: " + TOKEN + "\n    tags:\n");
        for (int i = 0; i < tagPaths.size(); i++) {
            yaml.append("      - path: \"").append(tagPaths.get(i)).append("\"\n        meter-id: ").append(meterIds.get(i)).append('\n');
        }
        for (String missing : missingTags) {
            yaml.append("      - path: \"").append(missing).append("\"\n        meter-id: ").append(NEXT_METER.getAndIncrement()).append('\n');
        }
        TestNode.Builder builder = TestNode.builder(workDir)
                .settings(yaml.toString())
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.batch-delay", 100);
        properties.forEach(builder::property);
        node = builder.start();
    }

    private void add(String prefix, Object value, Instant at) {
        long meter = NEXT_METER.getAndIncrement();
        String path = prefix + meter;
        tagPaths.add(path);
        meterIds.add(meter);
        sandbox.meter(meter, path);
        gateway.addTag(path, value);
        gateway.writeTag(path, value, StatusCodes.Good, at);
        if (value instanceof Number n) {
            sandbox.history(meter, n.doubleValue(), at);
        }
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public JsonNode connector() {
        return node.connectorStatus(CONNECTOR);
    }

    public void awaitSubscribed() {
        await().atMost(WAIT).until(() -> connector().get("subscribed").asBoolean());
    }

    public List<Double> values(int tag) {
        return sandbox.readings(meterIds.get(tag)).stream().map(StoredReading::value).toList();
    }

    public void awaitValues(int tag, Double... expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(values(tag)).as("readings of %s", tagPaths.get(tag)).containsExactly(expected));
    }

    @Override
    public void close() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            gateway.close();
            sandbox.close();
        }
    }

    public static final class Builder {
        private final Path workDir;
        private int tags = 1;
        private final Map<String, Object> otherTags = new LinkedHashMap<>();
        private final List<String> missingTags = new ArrayList<>();
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private UnaryOperator<SimulatedGateway.Builder> gatewaySetup = UnaryOperator.identity();

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** Numeric tags, each with its own meter (default 1). */
        public Builder tags(int count) {
            this.tags = count;
            return this;
        }

        /** A tag with another initial value (and type), e.g. a String; it follows the numeric tags. */
        public Builder tag(String name, Object initialValue) {
            otherTags.put(name, initialValue);
            return this;
        }

        /** A tag in the settings that the gateway does not have. */
        public Builder missingTag(String path) {
            missingTags.add(path);
            return this;
        }

        public Builder gateway(UnaryOperator<SimulatedGateway.Builder> setup) {
            this.gatewaySetup = setup;
            return this;
        }

        public Builder property(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        public GatewayNodeFixture start() throws Exception {
            return new GatewayNodeFixture(workDir, tags, otherTags, missingTags, gatewaySetup, properties);
        }
    }
}
