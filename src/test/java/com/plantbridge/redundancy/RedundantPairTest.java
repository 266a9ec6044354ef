package com.plantbridge.redundancy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.GwinfoMode;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.TestNode;

import static com.plantbridge.testing.PairFixture.WAIT;
import static com.plantbridge.testing.PairFixture.isLeader;
import static com.plantbridge.testing.PairFixture.redundancy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes beside two simulated gateways whose redundancy state the test drives. A value written
 * to a gateway is what that gateway observed; it must reach MaintainX once, from the node beside
 * the gateway that was Active, and never from the other.
 */
class RedundantPairTest {

    @TempDir
    Path workDir;
    private PairFixture pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    private void awaitDelivered(double value, String node) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(pair.sendersOf(value))
                .as("senders of %s; master status %s; backup status %s", value, status(pair.masterNode), status(pair.backupNode))
                .containsExactly(node));
    }

    private static String status(TestNode node) {
        return node == null ? "-" : node.status().toString();
    }

    private static ServiceStatus readingsRoute(TestNode node) {
        return node.context().getRouteController().getRouteStatus("readings-line-1");
    }

    @Test
    void normallyOnlyTheMastersNodeSendsAndTheStandbyRouteIsStopped() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);

        pair.gateways.master().writeTag(pair.tagPath, 1.0);
        pair.gateways.backup().writeTag(pair.tagPath, 101.0);   // a Cold Backup's value is never sent

        awaitDelivered(1.0, "master-node");
        assertThat(readingsRoute(pair.masterNode)).isEqualTo(ServiceStatus.Started);
        assertThat(readingsRoute(pair.backupNode)).isEqualTo(ServiceStatus.Stopped);
        // "no settings from the Master's node yet" until the mirror's first push has landed
        await().atMost(WAIT).until(() -> redundancy(pair.backupNode).get("reason").asText().equals("gateway is Cold"));
        pair.gateways.master().writeTag(pair.tagPath, 2.0);
        awaitDelivered(2.0, "master-node");
        assertThat(pair.sendersOf(101.0)).isEmpty();
    }

    @Test
    void onFailoverTheBackupsNodeSendsAndOnFailbackTheMastersNodeResumes() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);
        pair.gateways.master().writeTag(pair.tagPath, 1.0);
        awaitDelivered(1.0, "master-node");

        pair.gateways.failover();
        pair.awaitSoleLeader(pair.backupNode);
        pair.gateways.backup().writeTag(pair.tagPath, 2.0);

        awaitDelivered(2.0, "backup-node");
        assertThat(readingsRoute(pair.masterNode)).isEqualTo(ServiceStatus.Stopped);
        assertThat(readingsRoute(pair.backupNode)).isEqualTo(ServiceStatus.Started);

        pair.gateways.failback();
        pair.awaitSoleLeader(pair.masterNode);
        pair.gateways.master().writeTag(pair.tagPath, 3.0);

        awaitDelivered(3.0, "master-node");
        assertThat(pair.readings()).extracting(StoredReading::value).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void theOpcUaSystemTagsDriveLeadershipToo() throws Exception {
        pair = new PairFixture(workDir, "opcua");
        pair.awaitSoleLeader(pair.masterNode);
        assertThat(redundancy(pair.masterNode).get("source").asText()).isEqualTo("opcua");

        pair.gateways.failover();
        pair.awaitSoleLeader(pair.backupNode);
        pair.gateways.backup().writeTag(pair.tagPath, 7.0);

        awaitDelivered(7.0, "backup-node");
    }

    @Test
    void aDisabledBackupNeverSendsEvenAfterFailover() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);
        assertThat(pair.backupNode.post("/api/module/disable").statusCode()).isEqualTo(200);
        assertThat(Files.readString(pair.backupNode.workDir().resolve("data/node-state.properties"))).contains("module.enabled=false");

        pair.gateways.failover();
        await().atMost(WAIT).until(() -> !isLeader(pair.masterNode)
                && redundancy(pair.backupNode).get("reason").asText().equals("module disabled on this node"));
        pair.gateways.backup().writeTag(pair.tagPath, 5.0);
        Thread.sleep(2_000);   // four polls: time enough for a wrong leader to have sent
        assertThat(pair.readings()).isEmpty();
        assertThat(readingsRoute(pair.backupNode)).isEqualTo(ServiceStatus.Stopped);

        // Enabled again, the node catches up its Active gateway's current value once, then streams.
        pair.backupNode.post("/api/module/enable");
        pair.awaitSoleLeader(pair.backupNode);
        awaitDelivered(5.0, "backup-node");
        pair.gateways.backup().writeTag(pair.tagPath, 6.0);

        awaitDelivered(6.0, "backup-node");
        assertThat(pair.readings()).extracting(StoredReading::value).containsExactly(5.0, 6.0);
    }

    @Test
    void aNodeThatCannotReadGwinfoIsNotLeader() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);

        pair.gateways.master().setGwinfoMode(GwinfoMode.DOWN);
        await().atMost(WAIT).until(() -> !isLeader(pair.masterNode));
        assertThat(redundancy(pair.masterNode).get("reason").asText()).startsWith("gateway state unknown: no successful read from")
                .contains("gwinfo read failed");

        pair.gateways.master().setGwinfoMode(GwinfoMode.GARBAGE);
        await().atMost(WAIT).until(() -> redundancy(pair.masterNode).get("reason").asText().contains("not Key=Value"));
        assertThat(isLeader(pair.masterNode)).isFalse();

        pair.gateways.master().setGwinfoMode(GwinfoMode.NORMAL);
        pair.awaitSoleLeader(pair.masterNode);
    }

    @Test
    void whenBothGatewaysAreActiveOnlyTheMastersNodeSendsAndWithoutThePeerTheBackupsNodeTakesOver() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);
        await().atMost(WAIT).until(() -> redundancy(pair.backupNode).get("peer").has("node"));
        pair.awaitBackupMirrored();

        pair.gateways.backup().setRedundancy("Backup", "Active");
        await().atMost(WAIT).until(() -> redundancy(pair.backupNode).get("reason").asText().startsWith("both gateways Active"));
        pair.gateways.master().writeTag(pair.tagPath, 1.0);
        pair.gateways.backup().writeTag(pair.tagPath, 201.0);

        awaitDelivered(1.0, "master-node");
        assertThat(isLeader(pair.backupNode)).isFalse();
        assertThat(pair.sendersOf(201.0)).isEmpty();

        pair.masterNode.close();   // the peer is gone: the Backup's node relies on its own gateway
        pair.masterNode = null;
        await().atMost(WAIT).until(() -> isLeader(pair.backupNode));
        pair.gateways.backup().writeTag(pair.tagPath, 202.0);
        awaitDelivered(202.0, "backup-node");
    }

    @Test
    void aPeerWithTheWrongSecretIsNotBelieved() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);
        var unsigned = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(pair.masterNode.adminUrl() + "/api/peer/view")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).doesNotContain("master-node");
    }

    @Test
    void rapidFlappingNeverMakesTwoSendersAndSettlesOnExactlyOne() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);
        List<Double> written = new ArrayList<>();
        double value = 1000;
        long end = System.currentTimeMillis() + 6_000;
        boolean masterActive = true;
        while (System.currentTimeMillis() < end) {
            if (masterActive) {
                pair.gateways.failover();
            } else {
                pair.gateways.failback();
            }
            masterActive = !masterActive;
            for (int i = 0; i < 3; i++) {
                SimulatedGateway active = masterActive ? pair.gateways.master() : pair.gateways.backup();
                active.writeTag(pair.tagPath, ++value);
                written.add(value);
                Thread.sleep(100);
            }
        }
        pair.gateways.failback();
        pair.awaitSoleLeader(pair.masterNode);
        pair.gateways.master().writeTag(pair.tagPath, 99_999.0);
        awaitDelivered(99_999.0, "master-node");

        Map<Double, Long> copies = pair.readings().stream()
                .collect(Collectors.groupingBy(StoredReading::value, Collectors.counting()));
        assertThat(copies.values()).as("copies per value after %d flapping writes", written.size()).allMatch(n -> n == 1);
        assertThat(pair.readings()).extracting(StoredReading::value).allMatch(v -> written.contains(v) || v == 99_999.0);
        assertThat(pair.readings().stream().map(StoredReading::value).collect(Collectors.toMap(Function.identity(), v -> 1, Integer::sum)))
                .hasSizeLessThanOrEqualTo(written.size() + 1);
    }
}
