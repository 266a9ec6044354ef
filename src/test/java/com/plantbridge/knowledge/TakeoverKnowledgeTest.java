package com.plantbridge.knowledge;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.GwinfoMode;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.PairFixture;

import static com.plantbridge.testing.PairFixture.WAIT;
import static com.plantbridge.testing.PairFixture.isLeader;
import static com.plantbridge.testing.PairFixture.redundancy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that takes over knows from its peer what MaintainX holds and asks MaintainX only what it
 * cannot know, against the fake that pages {@code GET /meters} by 200 and allows 100 requests a
 * minute per token. Both gateways see every change (same value, same source time), as a Warm
 * standby does, so every current value the new leader's subscription reports was sent already.
 */
class TakeoverKnowledgeTest {

    private static final int TAGS = 8;

    @TempDir
    Path workDir;
    private PairFixture pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    private void writeOnBoth(int tag, double value) {
        Instant sourceTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (SimulatedGateway gateway : List.of(pair.gateways.master(), pair.gateways.backup())) {
            gateway.writeTag(pair.tagPaths.get(tag), value, StatusCodes.Good, sourceTime);
        }
    }

    private List<StoredReading> readingsOf(int tag) {
        return pair.sandbox.readings(pair.meterIds.get(tag));
    }

    /** The fake's GET requests from {@code from} on: what the nodes read of MaintainX. */
    private List<String> readsSince(int from) {
        List<RequestRecord> all = pair.sandbox.requests();
        return all.subList(from, all.size()).stream().filter(r -> r.method().equals("GET")).map(RequestRecord::path).toList();
    }

    /** Every tag changed on the Master's node, delivered, and the Backup's node told. */
    private void streamOneRound(double base) {
        IntStream.range(0, TAGS).forEach(tag -> writeOnBoth(tag, base + tag));
        await().atMost(WAIT).until(() -> IntStream.range(0, TAGS).allMatch(tag -> readingsOf(tag).stream().anyMatch(r -> r.value() == base + tag)));
        Instant delivered = Instant.now();
        // The Backup's node's copy is complete up to a moment after the deliveries (the leader's answers keep 1 s of margin).
        await().atMost(WAIT).until(() -> {
            String upTo = pair.backupNode.status().path("knowledge").path("peerKnownUpTo").asText(null);
            return upTo != null && !upTo.equals("null") && Instant.parse(upTo).isAfter(delivered);
        });
    }

    @Test
    void aPlannedSwitchoverReadsNothingFromMaintainxWhenThePeersKnowledgeIsComplete() throws Exception {
        pair = PairFixture.warm(TAGS, workDir);
        pair.awaitSoleLeader(pair.masterNode);
        pair.awaitBackupMirrored();
        streamOneRound(100);
        int before = pair.sandbox.requests().size();

        pair.gateways.failover();
        pair.awaitSoleLeader(pair.backupNode);
        writeOnBoth(0, 200);

        await().atMost(WAIT).until(() -> readingsOf(0).stream().anyMatch(r -> r.value() == 200));
        assertThat(readsSince(before)).as("reads of MaintainX after the switch").isEmpty();
        for (int tag = 0; tag < TAGS; tag++) {
            assertThat(readingsOf(tag)).extracting(StoredReading::value).as("tag %d", tag).doesNotHaveDuplicates();
        }
        assertThat(redundancy(pair.backupNode).get("reason").asText()).contains("handed over");
    }

    @Test
    void afterASuddenFailureOnlyTheMetersTheOldLeaderWroteAfterItLastSpokeAreRead() throws Exception {
        pair = PairFixture.warm(TAGS, workDir);
        pair.awaitSoleLeader(pair.masterNode);
        pair.awaitBackupMirrored();
        streamOneRound(100);
        // From here the Backup's node hears nothing of what the Master's node delivers.
        pair.backupNode.context().getRouteController().stopRoute("peer-knowledge-pull");
        for (int tag = 0; tag < 3; tag++) {
            writeOnBoth(tag, 300 + tag);
        }
        await().atMost(WAIT).until(() -> IntStream.range(0, 3).allMatch(tag -> readingsOf(tag).stream().anyMatch(r -> r.value() == 300 + tag)));
        int before = pair.sandbox.requests().size();

        // The Master's machine is gone, its gateway with it: it answers its peer no more, at once (a graceful stop would still hand over).
        for (String route : List.of("peer-view-answer", "peer-handover-answer", "peer-knowledge-answer")) {
            pair.masterNode.context().getRouteController().stopRoute(route);
        }
        pair.masterNode.close();
        pair.gateways.failover();
        await().atMost(WAIT).until(() -> isLeader(pair.backupNode));
        writeOnBoth(5, 500);

        await().atMost(WAIT).until(() -> readingsOf(5).stream().anyMatch(r -> r.value() == 500));
        await().atMost(WAIT).until(() -> pair.backupNode.connectorStatus("line-1").get("currentValuesWaiting").asInt() == 0);
        assertThat(readsSince(before)).as("reads of MaintainX after the switch; the new leader's %s and %s",
                        pair.backupNode.status().get("knowledge"), redundancy(pair.backupNode).get("reason"))
                .containsExactlyInAnyOrder("/v1/meters/" + pair.meterIds.get(0), "/v1/meters/" + pair.meterIds.get(1), "/v1/meters/" + pair.meterIds.get(2));
        for (int tag = 0; tag < TAGS; tag++) {
            assertThat(readingsOf(tag)).extracting(StoredReading::value).as("tag %d", tag).doesNotHaveDuplicates();
        }
    }

    @Test
    void aNodeWhosePeerIsGoneTakesOverWhenItsGatewayTurnsActiveWithoutWaitingForTheDebounce() throws Exception {
        pair = PairFixture.warm(TAGS, workDir, "ignition.redundancy.debounce", 60_000);
        pair.awaitSoleLeader(pair.masterNode);
        pair.awaitBackupMirrored();
        for (String route : List.of("peer-view-answer", "peer-handover-answer", "peer-knowledge-answer")) {
            pair.masterNode.context().getRouteController().stopRoute(route);
        }
        pair.masterNode.close();
        // Ignition notices the lost Master later than the Backup's node does: past takeover-after (2 s), nobody else sends.
        Thread.sleep(3_000);

        pair.gateways.failover();

        // Well inside the 60 s debounce: the peer's silence is the evidence.
        pair.awaitLeader(pair.backupNode, Duration.ofSeconds(30));
        writeOnBoth(2, 800);
        await().atMost(WAIT).until(() -> readingsOf(2).stream().anyMatch(r -> r.value() == 800));
    }

    @Test
    void aNodeWhoseGatewayCannotBeReadHandsOverToAPeerWhoseGatewayIsActiveWithoutWaitingForStaleAfter() throws Exception {
        pair = PairFixture.warm(TAGS, workDir, "ignition.redundancy.stale-after", 60_000);
        pair.awaitSoleLeader(pair.masterNode);

        pair.gateways.master().setGwinfoMode(GwinfoMode.DOWN);
        pair.gateways.backup().setRedundancy("Backup", "Active");

        // Well inside the 60 s stale-after: only the evidence can have moved leadership.
        pair.awaitSoleLeader(pair.backupNode, Duration.ofSeconds(30));
        // Either it saw the peer's Active gateway first, or the peer asked first and it granted: both by evidence.
        assertThat(redundancy(pair.masterNode).get("reason").asText()).containsAnyOf("cannot be read and the peer's gateway", "handed over to node");
        writeOnBoth(1, 700);
        await().atMost(WAIT).until(() -> readingsOf(1).stream().anyMatch(r -> r.value() == 700 && r.sender().contains(pair.backupNode.status().get("node").asText())));
    }
}
