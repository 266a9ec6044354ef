package com.plantbridge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

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
 * gateway observed, exactly once, and nothing twice. The gateways' own record of what they
 * observed while Active is the reference. {@code -Dfailover.repetitions=20} runs it 20 times.
 */
class FailoverContinuityTest {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverContinuityTest.class);
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
    void noChangeObservedByAnActiveGatewayIsLostOrDoubled() throws Exception {
        int repetitions = Integer.getInteger("failover.repetitions", 1);
        int lost = 0;
        int doubled = 0;
        for (int run = 1; run <= repetitions; run++) {
            pair = PairFixture.withTags(TAGS, workDir.resolve("run-" + run), "gwinfo");
            Result result = oneRun();
            LOG.info("failover run {}/{}: changes observed while Active {}, readings {}, lost {}, doubled {}",
                    run, repetitions, result.expected, result.readings, result.lost.size(), result.doubled.size());
            lost += result.lost.size();
            doubled += result.doubled.size();
            assertThat(result.lost).as("changes observed while Active but missing at MaintainX, run %d", run).isEmpty();
            assertThat(result.doubled).as("readings stored more than once, run %d", run).isEmpty();
            pair.close();
            pair = null;
        }
        LOG.info("failover runs {}: lost {}, doubled {}", repetitions, lost, doubled);
    }

    private record Result(int expected, int readings, List<String> lost, List<String> doubled) {
    }

    private Result oneRun() throws Exception {
        pair.awaitSoleLeader(pair.masterNode);
        long start = System.currentTimeMillis();
        java.time.Instant begin = java.time.Instant.ofEpochMilli(start);
        boolean failedOver = false;
        boolean failedBack = false;
        double value = 1;
        int i = 0;
        while (System.currentTimeMillis() - start < 12_000) {
            long at = System.currentTimeMillis() - start;
            if (!failedOver && at >= 4_000) {
                pair.gateways.failover();
                failedOver = true;
            }
            if (!failedBack && at >= 8_000) {
                pair.gateways.failback();
                failedBack = true;
            }
            SimulatedGateway active = failedOver && !failedBack ? pair.gateways.backup() : pair.gateways.master();
            active.writeTag(pair.tagPaths.get(i++ % TAGS), value++);
            Thread.sleep(WRITE_EVERY_MS);
        }
        pair.awaitSoleLeader(pair.masterNode);
        awaitQuiet();

        Map<String, Long> meterOf = new java.util.HashMap<>();
        for (int t = 0; t < TAGS; t++) {
            meterOf.put(pair.tagPaths.get(t), pair.meterIds.get(t));
        }
        Set<String> expected = new HashSet<>();
        for (SimulatedGateway gateway : List.of(pair.gateways.master(), pair.gateways.backup())) {
            for (TagChange change : gateway.changes()) {
                if ("Active".equals(change.activityLevel()) && meterOf.containsKey(change.path()) && !change.sourceTime().isBefore(begin)) {
                    expected.add(key(meterOf.get(change.path()), ((Number) change.value()).doubleValue()));
                }
            }
        }
        List<StoredReading> readings = pair.sandbox.readings();
        Map<String, Long> copies = readings.stream()
                .collect(Collectors.groupingBy(r -> key(r.meterId(), r.value()) + "@" + r.readingDate(), Collectors.counting()));
        List<String> doubled = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        Set<String> delivered = readings.stream().map(r -> key(r.meterId(), r.value())).collect(Collectors.toSet());
        List<String> lost = new ArrayList<>(expected);
        lost.removeAll(delivered);
        return new Result(expected.size(), readings.size(), lost, doubled);
    }

    private static String key(long meterId, double value) {
        return meterId + ":" + value;
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
