package com.plantbridge.redundancy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.gateway.TagChange;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.PairFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Steady changes through a failover and a failback: MaintainX ends up with every change an Active
 * gateway observed, exactly once. The gateways' own record of what they observed while Active is
 * the reference. With a Cold standby only the Active gateway's tags change; with a Warm standby both
 * gateways see every change (same value, same source time) and the Backup's node still neither
 * sends while standby nor twice after it takes over. {@code -Dfailover.repetitions=20} repeats each.
 */
class FailoverContinuityTest {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverContinuityTest.class);
    private static final int TAGS = 8;
    /** Each tag changes every 8 x 250 ms = 2 s: slower than a takeover, as docs/readings.md states. */
    private static final long WRITE_EVERY_MS = 250;
    private static final int REPETITIONS = Integer.getInteger("failover.repetitions", 1);

    @TempDir
    Path workDir;
    private PairFixture pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void noChangeObservedByAnActiveGatewayIsLostOrDoubledWithAColdStandby() throws Exception {
        for (int run = 1; run <= REPETITIONS; run++) {
            pair = PairFixture.withTags(TAGS, workDir.resolve("cold-" + run), "gwinfo");
            oneRun("cold", run, false);
            pair.close();
            pair = null;
        }
    }

    @Test
    void aWarmBackupsGoodValuesAreNeitherSentInStandbyNorTwiceAfterFailoverAndFailback() throws Exception {
        for (int run = 1; run <= REPETITIONS; run++) {
            pair = PairFixture.warm(TAGS, workDir.resolve("warm-" + run));
            assertThat(PairFixture.redundancy(pair.backupNode).get("activityLevel").asText()).isEqualTo("Warm");
            oneRun("warm", run, true);
            pair.close();
            pair = null;
        }
    }

    private void oneRun(String kind, int run, boolean warm) throws Exception {
        pair.awaitSoleLeader(pair.masterNode);
        Instant begin = Instant.now();
        Instant failedOver = null;
        Instant failedBack = null;
        long start = System.currentTimeMillis();
        double value = 1;
        int i = 0;
        while (System.currentTimeMillis() - start < 12_000) {
            long at = System.currentTimeMillis() - start;
            if (failedOver == null && at >= 4_000) {
                pair.gateways.failover();
                failedOver = Instant.now();
            }
            if (failedBack == null && at >= 8_000) {
                pair.gateways.failback();
                failedBack = Instant.now();
            }
            String path = pair.tagPaths.get(i++ % TAGS);
            if (warm) {
                Instant sourceTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                for (SimulatedGateway gateway : List.of(pair.gateways.master(), pair.gateways.backup())) {
                    gateway.writeTag(path, value, StatusCodes.Good, sourceTime);
                }
            } else {
                SimulatedGateway active = failedOver != null && failedBack == null ? pair.gateways.backup() : pair.gateways.master();
                active.writeTag(path, value);
            }
            value++;
            Thread.sleep(WRITE_EVERY_MS);
        }
        pair.awaitSoleLeader(pair.masterNode);
        awaitQuiet();

        Map<String, Long> meterOf = new HashMap<>();
        for (int t = 0; t < TAGS; t++) {
            meterOf.put(pair.tagPaths.get(t), pair.meterIds.get(t));
        }
        Set<String> expected = new HashSet<>();
        for (SimulatedGateway gateway : List.of(pair.gateways.master(), pair.gateways.backup())) {
            for (TagChange change : gateway.changes()) {
                if ("Active".equals(change.activityLevel()) && meterOf.containsKey(change.path()) && !change.sourceTime().isBefore(begin)) {
                    expected.add(change.path() + "=" + ((Number) change.value()).doubleValue());
                }
            }
        }
        List<StoredReading> readings = pair.sandbox.readings();
        Map<Long, String> pathOf = meterOf.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        // A copy is the same value with the same reading date (a Warm pair's gateways share source times).
        Map<String, Long> copies = readings.stream()
                .collect(Collectors.groupingBy(r -> pathOf.get(r.meterId()) + "=" + r.value() + "@" + r.readingDate(), Collectors.counting()));
        List<String> doubled = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        List<String> lost = new ArrayList<>(expected);
        lost.removeAll(readings.stream().map(r -> pathOf.get(r.meterId()) + "=" + r.value()).collect(Collectors.toSet()));
        List<StoredReading> fromBackupNode = readings.stream().filter(r -> r.userAgent().contains("backup-node")).toList();
        LOG.info("{} run {}/{}: changes observed while Active {}, readings {} (backup-node {}), lost {}, doubled {}", kind, run, REPETITIONS,
                expected.size(), readings.size(), fromBackupNode.size(), lost, doubled);

        assertThat(fromBackupNode).as("the Backup's node took over").isNotEmpty();
        assertThat(doubled).as("values stored more than once, %s run %d", kind, run).isEmpty();
        assertThat(lost).as("changes observed while Active but missing at MaintainX, %s run %d", kind, run).isEmpty();
        if (!warm) {
            return; // a Cold Backup gateway's values carry their own source times
        }
        // Reading dates have milliseconds: a value written in the same millisecond as the switch, after it, is the new leader's.
        Instant overAt = failedOver.truncatedTo(ChronoUnit.MILLIS);
        Instant backAt = failedBack.plusSeconds(2);
        assertThat(fromBackupNode).as("readings the Backup's node sent while standby, %s run %d", kind, run)
                .noneMatch(r -> r.readingDate().isBefore(overAt) || r.readingDate().isAfter(backAt));
    }

    /** Until both nodes hold nothing undelivered and MaintainX has stopped receiving. */
    private void awaitQuiet() {
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            int now = pair.sandbox.readings().size();
            boolean idle = now == last[0];
            for (var node : List.of(pair.masterNode, pair.backupNode)) {
                idle &= node.connectorStatus("line-1").get("pending").asInt() == 0 && node.connectorStatus("line-1").get("inFlight").asInt() == 0;
            }
            last[0] = now;
            return idle;
        });
    }
}
