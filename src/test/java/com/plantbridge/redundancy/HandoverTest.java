package com.plantbridge.redundancy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leadership moves between the nodes of a pair by a signed handover, so two nodes never send at
 * once and the new leader does not resend what the old one captured. The Backup gateway is a Warm
 * standby here: it sees every change too, with its own timestamps, as a real Warm Backup does.
 * {@code -Dswitchover.repetitions=40} and {@code -Dflapping.repetitions=20} run the full counts.
 */
class HandoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(HandoverTest.class);
    private static final int TAGS = 4;

    @TempDir
    Path workDir;
    private PairFixture pair;
    private double next = 1;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    /** A change of the machine: both gateways see it, each stamps it itself. */
    private Written change(int tag) {
        double value = next++;
        for (SimulatedGateway gateway : List.of(pair.gateways.master(), pair.gateways.backup())) {
            gateway.writeTag(pair.tagPaths.get(tag), value);
        }
        return new Written(pair.meterIds.get(tag), value);
    }

    private record Written(long meterId, double value) {
    }

    private void masterActive() {
        pair.gateways.backup().setRedundancy("Backup", "Warm");
        pair.gateways.master().setRedundancy("Master", "Active");
    }

    private void backupActive() {
        pair.gateways.master().setRedundancy("Master", "Warm");
        pair.gateways.backup().setRedundancy("Backup", "Active");
    }

    private Map<Written, Long> copies() {
        return pair.sandbox.readings().stream()
                .collect(Collectors.groupingBy(r -> new Written(r.meterId(), r.value()), Collectors.counting()));
    }

    private void awaitAllDelivered(List<Written> written) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> copies().keySet().containsAll(written));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<Written> missing = written.stream().filter(w -> !copies().containsKey(w)).toList();
            throw new AssertionError("never delivered: " + missing + "; master " + PairFixture.redundancy(pair.masterNode)
                    + "; backup " + PairFixture.redundancy(pair.backupNode), e);
        }
    }

    @Test
    void plannedSwitchoversWithAWarmStandbyDeliverEveryChangeExactlyOnce() throws Exception {
        int switches = Integer.getInteger("switchover.repetitions", 6);
        // A switchover every two seconds spends a token's 100 requests a minute in about a minute:
        // this test is about who sends what, not about the rate limit (covered elsewhere).
        pair = PairFixture.withTags(TAGS, workDir, "gwinfo", "maintainx.rate-limit.requests", 100_000);
        pair.sandbox.unlimited();
        pair.gateways.backup().setRedundancy("Backup", "Warm");
        pair.awaitSoleLeader(pair.masterNode);
        List<Written> written = new ArrayList<>();
        boolean toBackup = true;
        for (int s = 1; s <= switches; s++) {
            written.add(change(0));
            Thread.sleep(300);
            if (toBackup) {
                backupActive();
            } else {
                masterActive();
            }
            Thread.sleep(100);
            written.add(change(1));
            Thread.sleep(400);
            written.add(change(2));
            Thread.sleep(500);
            written.add(change(3));
            pair.awaitSoleLeader(toBackup ? pair.backupNode : pair.masterNode);
            toBackup = !toBackup;
        }
        awaitAllDelivered(written);
        Thread.sleep(2_000); // a late second copy would arrive within a batch delay or two

        Map<Written, Long> copies = copies();
        List<Written> doubled = written.stream().filter(w -> copies.getOrDefault(w, 0L) > 1).toList();
        LOG.info("{} planned switchovers: {} changes, {} readings, doubled {}", switches, written.size(), pair.sandbox.readings().size(), doubled.size());
        assertThat(doubled).as("changes stored more than once").isEmpty();
        assertThat(copies.keySet()).as("nothing but the changes").containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void flappingGatewaysNeverMakeTwoSendersAndOnceSettledLoseNothing() throws Exception {
        int repetitions = Integer.getInteger("flapping.repetitions", 1);
        int doubledTotal = 0;
        for (int run = 1; run <= repetitions; run++) {
            pair = PairFixture.withTags(TAGS, workDir.resolve("run-" + run), "gwinfo");
            pair.gateways.backup().setRedundancy("Backup", "Warm");
            pair.awaitSoleLeader(pair.masterNode);
            List<Written> flapping = new ArrayList<>();
            long end = System.currentTimeMillis() + 8_000;
            boolean master = true;
            long nextFlip = 0;
            int tag = 0;
            while (System.currentTimeMillis() < end) {
                if (System.currentTimeMillis() >= nextFlip) {
                    if (master) {
                        backupActive();
                    } else {
                        masterActive();
                    }
                    master = !master;
                    nextFlip = System.currentTimeMillis() + 150;
                }
                flapping.add(change(tag++ % TAGS));
                Thread.sleep(50);
            }
            pair.gateways.master().setRedundancy("Master", "Active");
            pair.gateways.backup().setRedundancy("Backup", "Active");
            for (int i = 0; i < 10; i++) {
                flapping.add(change(tag++ % TAGS));
                Thread.sleep(200);
            }
            masterActive();
            pair.awaitSoleLeader(pair.masterNode);
            List<Written> settled = new ArrayList<>();
            for (int i = 0; i < 2 * TAGS; i++) {
                settled.add(change(i % TAGS));
                Thread.sleep(300);
            }
            awaitAllDelivered(settled);
            Thread.sleep(2_000);

            Map<Written, Long> copies = copies();
            List<Written> doubled = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            long flappingDelivered = flapping.stream().filter(copies::containsKey).count();
            LOG.info("flapping run {}/{}: {} changes while flapping ({} delivered, the rest conflated into later values), {} after settling, doubled {}",
                    run, repetitions, flapping.size(), flappingDelivered, settled.size(), doubled.size());
            doubledTotal += doubled.size();
            assertThat(doubled).as("readings stored more than once, run %d", run).isEmpty();
            assertThat(copies.keySet()).as("every change after settling, run %d", run).containsAll(settled);
            assertThat(copies.keySet()).as("only values that were written, run %d", run).allMatch(w -> flapping.contains(w) || settled.contains(w));
            pair.close();
            pair = null;
        }
        LOG.info("flapping runs {}: doubled {}", repetitions, doubledTotal);
    }

    @Test
    void aNodeWhosePeerIsGoneTakesOverAfterTheStatedSilence() throws Exception {
        pair = PairFixture.withTags(1, workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);
        pair.awaitBackupMirrored();

        pair.masterNode.close();
        backupActive();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(PairFixture.redundancy(pair.backupNode).get("leader").asBoolean())
                        .as("the Backup's node leads; its redundancy: %s", PairFixture.redundancy(pair.backupNode)).isTrue());
        assertThat(PairFixture.redundancy(pair.backupNode).get("reason").asText()).contains("has not answered");
        Written after = change(0);
        awaitAllDelivered(List.of(after));
        pair.masterNode = null;
    }

    @Test
    void theMastersNodeRefusesToHandOverWhileItsGatewayIsActive() throws Exception {
        pair = PairFixture.withTags(1, workDir, "gwinfo");
        pair.awaitSoleLeader(pair.masterNode);

        pair.gateways.backup().setRedundancy("Backup", "Active");

        Thread.sleep(3_000);
        TestNode backup = pair.backupNode;
        assertThat(PairFixture.isLeader(backup)).isFalse();
        assertThat(PairFixture.isLeader(pair.masterNode)).isTrue();
        Written change = change(0);
        awaitAllDelivered(List.of(change));
        assertThat(copies().get(change)).isEqualTo(1);
    }
}
