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
 * A Warm standby: the gateway that is not Active runs its tags, Good and changing, as both gateways
 * watch the same machine. Its node still neither sends while standby nor sends a value twice after it
 * takes over: the current values a takeover subscription reports are compared with MaintainX's last
 * readings like any initial value. Through a failover and a failback every change observed by the
 * Active gateway reaches MaintainX once. {@code -Dfailover.repetitions=N} repeats it.
 */
class WarmStandbyTest {

    private static final Logger LOG = LoggerFactory.getLogger(WarmStandbyTest.class);
    private static final int TAGS = 8;
    /** Each tag changes every 8 x 250 ms = 2 s: slower than a takeover, as the README states. */
    private static final long WRITE_EVERY_MS = 250;

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
    void aWarmBackupsGoodValuesAreNeitherSentInStandbyNorTwiceAfterFailoverAndFailback() throws Exception {
        int repetitions = Integer.getInteger("failover.repetitions", 1);
        for (int run = 1; run <= repetitions; run++) {
            pair = PairFixture.warm(TAGS, workDir.resolve("run-" + run));
            oneRun(run);
            pair.close();
            pair = null;
        }
    }

    private void oneRun(int run) throws Exception {
        pair.awaitSoleLeader(pair.masterNode);
        assertThat(PairFixture.redundancy(pair.backupNode).get("activityLevel").asText()).isEqualTo("Warm");
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
            // The same change, with the same source time, seen by both gateways.
            Instant sourceTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String path = pair.tagPaths.get(i++ % TAGS);
            for (SimulatedGateway gateway : List.of(pair.gateways.master(), pair.gateways.backup())) {
                gateway.writeTag(path, value, StatusCodes.Good, sourceTime);
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
        Map<String, Long> copies = readings.stream()
                .collect(Collectors.groupingBy(r -> pathOf.get(r.meterId()) + "=" + r.value(), Collectors.counting()));
        List<String> doubled = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        List<String> lost = new ArrayList<>(expected);
        lost.removeAll(copies.keySet());
        Instant overAt = failedOver;
        Instant backAt = failedBack;
        List<StoredReading> backupOutsideItsTurn = readings.stream()
                .filter(r -> r.userAgent().contains("backup-node"))
                .filter(r -> r.readingDate().isBefore(overAt) || r.readingDate().isAfter(backAt.plusSeconds(2)))
                .toList();
        LOG.info("warm run {}: changes observed while Active {}, readings {} (backup-node {}), lost {}, doubled {}", run, expected.size(),
                readings.size(), readings.stream().filter(r -> r.userAgent().contains("backup-node")).count(), lost, doubled);

        assertThat(readings.stream().filter(r -> r.userAgent().contains("backup-node"))).as("the Backup's node took over").isNotEmpty();
        assertThat(doubled).as("values stored more than once, run %d", run).isEmpty();
        assertThat(lost).as("changes observed while Active but missing at MaintainX, run %d", run).isEmpty();
        assertThat(backupOutsideItsTurn).as("readings the Warm Backup's node sent while standby").isEmpty();
    }

    /** Until both nodes hold nothing undelivered and MaintainX has stopped receiving. */
    private void awaitQuiet() {
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            int now = pair.sandbox.readings().size();
            boolean idle = now == last[0]
                    && pair.masterNode.connectorStatus("line-1").get("pending").asInt() == 0
                    && pair.backupNode.connectorStatus("line-1").get("pending").asInt() == 0
                    && pair.masterNode.connectorStatus("line-1").get("inFlight").asInt() == 0
                    && pair.backupNode.connectorStatus("line-1").get("inFlight").asInt() == 0;
            last[0] = now;
            return idle;
        });
    }
}
