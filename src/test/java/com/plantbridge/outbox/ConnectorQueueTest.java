package com.plantbridge.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.plantbridge.reading.MeterReading;

import static org.assertj.core.api.Assertions.assertThat;

/** A connector's line of waiting readings in memory, on an injected clock. */
class ConnectorQueueTest {

    private final AtomicLong now = new AtomicLong(10_000);
    private final ConnectorQueue queue = new ConnectorQueue("c", now::get);
    private long nextSeq = 1;

    private List<OutboxReading> readings(String tag, int count, Instant date) {
        List<OutboxReading> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new OutboxReading(nextSeq, new MeterReading("c", tag, 1, nextSeq, date.plusMillis(i)), 1, now.get()));
            nextSeq++;
        }
        return list;
    }

    private static List<Long> seqs(List<OutboxReading> readings) {
        return readings.stream().map(OutboxReading::seq).toList();
    }

    @Test
    void batchesAreCutOldestFirstAndWhatIsNotDeliveredReturnsToTheHeadInOrder() {
        queue.add(readings("a", 5, Instant.EPOCH));

        List<OutboxReading> first = queue.take(3);
        assertThat(seqs(first)).containsExactly(1L, 2L, 3L);
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.taken()).isEqualTo(3);

        queue.add(readings("a", 1, Instant.EPOCH));
        queue.putBack(first);

        assertThat(queue.taken()).isZero();
        assertThat(seqs(queue.take(10))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aBatchIsDueWhenFullWhenItsOldestHasWaitedTheDelayOrWhenDraining() {
        assertThat(queue.dueInMillis(3, 1_000, false)).as("nothing waits").isEqualTo(-1);
        queue.add(readings("a", 2, Instant.EPOCH));

        assertThat(queue.dueInMillis(3, 1_000, false)).isEqualTo(1_000);
        now.addAndGet(400);
        assertThat(queue.dueInMillis(3, 1_000, false)).isEqualTo(600);
        assertThat(queue.dueInMillis(3, 1_000, true)).as("draining").isZero();
        assertThat(queue.dueInMillis(2, 1_000, false)).as("full").isZero();
        now.addAndGet(600);
        assertThat(queue.dueInMillis(3, 1_000, false)).as("the oldest has waited the delay").isZero();
    }

    @Test
    void readingsPutBackAreDueAtOnceBecauseTheyAreOld() {
        queue.add(readings("a", 1, Instant.EPOCH));
        now.addAndGet(5_000);
        queue.putBack(queue.take(1));

        assertThat(queue.dueInMillis(100, 1_000, false)).isZero();
    }

    @Test
    void drainingWithNothingLeftEndsTheWait() throws Exception {
        assertThat(queue.awaitDue(10, 1_000, () -> true)).isFalse();
        queue.add(readings("a", 1, Instant.EPOCH));
        assertThat(queue.awaitDue(10, 1_000, () -> true)).isTrue();
    }

    @Test
    void theBoundKeepsTheLatestWaitingReadingPerTagAndMinuteAndLeavesTakenOnesAlone() {
        Instant minute = Instant.parse("2026-01-01T00:00:00Z");
        queue.add(readings("a", 3, minute));                      // 1..3, minute 0
        queue.add(readings("b", 2, minute));                      // 4..5, minute 0
        queue.add(readings("a", 2, minute.plusSeconds(60)));      // 6..7, minute 1
        List<OutboxReading> taken = queue.take(1);                // 1 is in flight

        List<OutboxReading> merged = queue.conflatePerMinute();

        assertThat(seqs(merged)).containsExactly(2L, 4L, 6L);
        assertThat(seqs(queue.peek(10))).containsExactly(3L, 5L, 7L);
        assertThat(seqs(taken)).containsExactly(1L);
    }

    @Test
    void droppingTakesTheOldestWaitingReadingsUpToASeq() {
        queue.add(readings("a", 5, Instant.EPOCH));
        queue.take(1);

        assertThat(seqs(queue.dropThrough(3))).containsExactly(2L, 3L);
        assertThat(seqs(queue.peek(10))).containsExactly(4L, 5L);
    }

    @Test
    void theLineIsBusyFromTheFirstReadingUntilNothingIsHeld() {
        assertThat(queue.busySinceMillis()).isEqualTo(-1);
        queue.add(readings("a", 2, Instant.EPOCH));
        long since = now.get();
        now.addAndGet(1_000);
        queue.add(readings("a", 1, Instant.EPOCH));
        List<OutboxReading> all = queue.take(3);
        assertThat(queue.busySinceMillis()).as("taken readings still count").isEqualTo(since);

        queue.finished(all);

        assertThat(queue.busySinceMillis()).isEqualTo(-1);
    }

    @Test
    void theNewestReadingPerMeterCountsWaitingAndTakenReadings() {
        List<OutboxReading> list = new ArrayList<>();
        list.add(new OutboxReading(nextSeq++, new MeterReading("c", "a", 1, 10L, Instant.parse("2026-01-01T00:00:02Z")), 1, now.get()));
        list.add(new OutboxReading(nextSeq++, new MeterReading("c", "a", 1, 11L, Instant.parse("2026-01-01T00:00:01Z")), 1, now.get()));
        list.add(new OutboxReading(nextSeq++, new MeterReading("c", "b", 2, 20L, Instant.parse("2026-01-01T00:00:00Z")), 1, now.get()));
        queue.add(list);
        queue.take(1);

        var newest = queue.newestPerMeter();

        assertThat(newest.get(1L).reading().value()).as("the latest reading date, although taken").isEqualTo(10L);
        assertThat(newest.get(2L).reading().value()).isEqualTo(20L);
    }

    @Test
    void oneSenderAtATimeWorksTheLine() throws Exception {
        queue.claim();
        CountDownLatch claimed = new CountDownLatch(1);
        AtomicBoolean second = new AtomicBoolean();
        Thread next = new Thread(() -> {
            try {
                queue.claim();
                second.set(true);
                claimed.countDown();
                queue.unclaim();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        next.start();

        assertThat(claimed.await(100, TimeUnit.MILLISECONDS)).as("the second sender waits").isFalse();
        queue.unclaim();
        assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second).isTrue();
        next.join();
    }
}
