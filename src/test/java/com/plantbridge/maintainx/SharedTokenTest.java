package com.plantbridge.maintainx;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.tags.SettingsApplier;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Connectors that share a MaintainX token share its request budget and read its meter list once. */
class SharedTokenTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private TestNode node;

    @BeforeEach
    void start() {
        gateway = SimulatedGateway.builder().name("shared").start();
        sandbox = MaintainxSandbox.start(0).token("shared-token").token("own-token");
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 3; i++) {
            String path = "[default]Shared/T" + i;
            gateway.addTag(path, 0.0);
            gateway.writeTag(path, 0.0, StatusCodes.Good, past);
            sandbox.meter(970 + i, path).history(970 + i, 0.0, past);
        }
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        sandbox.close();
        gateway.close();
    }

    private static String settings(double deadbandOfA) {
        return "connectors:\n"
                + "  - name: a\n    token: shared-token\n    deadband: " + deadbandOfA + "\n    tags:\n      - path: \"[default]Shared/T0\"\n        meter-id: 970\n"
                + "  - name: b\n    token: shared-token\n    tags:\n      - path: \"[default]Shared/T1\"\n        meter-id: 971\n"
                + "  - name: c\n    token: own-token\n    tags:\n      - path: \"[default]Shared/T2\"\n        meter-id: 972\n";
    }

    private void startNode(Object... properties) throws Exception {
        TestNode.Builder builder = TestNode.builder(workDir).settings(settings(0.0))
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl());
        for (int i = 0; i < properties.length; i += 2) {
            builder.property((String) properties[i], properties[i + 1]);
        }
        node = builder.start();
        await().atMost(WAIT).until(() -> List.of("a", "b", "c").stream().allMatch(c -> node.connectorStatus(c).get("subscribed").asBoolean()));
    }

    private List<RequestRecord> meterListReads(String token) {
        return sandbox.requests().stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/meters") && token.equals(r.token())).toList();
    }

    private List<String> meterReads(String token) {
        return sandbox.requests().stream().filter(r -> r.method().equals("GET") && r.path().contains("/meters/") && token.equals(r.token()))
                .map(RequestRecord::path).toList();
    }

    @Test
    void aNewNodeReadsEachMeterItKnowsNothingOfOnceByIdWithItsConnectorsToken() throws Exception {
        startNode();

        await().atMost(WAIT).until(() -> meterReads("shared-token").size() == 2 && meterReads("own-token").size() == 1);
        assertThat(meterReads("shared-token")).containsExactlyInAnyOrder("/v1/meters/970", "/v1/meters/971");
        assertThat(meterReads("own-token")).containsExactly("/v1/meters/972");
        assertThat(meterListReads("shared-token")).as("three meters are read one by one, not in pages of 200").isEmpty();
        assertThat(meterListReads("own-token")).isEmpty();
    }

    @Test
    void connectorsOfOneTokenStayWithinItsBudgetTogetherAlsoAcrossASettingsChange() throws Exception {
        startNode("maintainx.batch-size", 1, "maintainx.batch-delay", 0,
                "maintainx.rate-limit.requests", 3, "maintainx.rate-limit.window", 2000);
        for (int i = 1; i <= 4; i++) {
            gateway.writeTag("[default]Shared/T0", (double) i);
            gateway.writeTag("[default]Shared/T1", (double) i);
            Thread.sleep(20);
        }
        await().atMost(WAIT).until(() -> sandbox.readings(970).size() == 4 && sandbox.readings(971).size() == 4);

        node.context().getRegistry().lookupByNameAndType("settingsApplier", SettingsApplier.class)
                .apply(new ModuleSettingsLoader().parse("maintainx.yaml", settings(0.1)));
        await().atMost(WAIT).until(() -> node.connectorStatus("a").get("subscribed").asBoolean());
        for (int i = 5; i <= 8; i++) {
            gateway.writeTag("[default]Shared/T0", (double) i);
            gateway.writeTag("[default]Shared/T1", (double) i);
            Thread.sleep(20);
        }

        await().atMost(WAIT).until(() -> sandbox.readings(970).size() == 8 && sandbox.readings(971).size() == 8);
        List<Instant> times = sandbox.requests().stream().filter(r -> "shared-token".equals(r.token())).map(RequestRecord::time).toList();
        for (Instant from : times) {
            // 1.5 s rather than 2 s: arrival times at the server jitter around the node's send times on a busy machine.
            long inWindow = times.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plusMillis(1500))).count();
            assertThat(inWindow).as("requests of the shared token in the 1.5 s from %s", from).isLessThanOrEqualTo(3);
        }
        assertThat(sandbox.tooManyRequestsCount()).isZero();
    }
}
