package com.plantbridge.outbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.maintainx.MeterReading;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox on its own disk: what survives a reopen, and what its bound keeps. */
class OutboxTest {

    @TempDir
    Path dataDir;

    private static List<MeterReading> readings(String tag, int from, int count, Instant date) {
        List<MeterReading> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            list.add(new MeterReading("c", tag, 1, (long) i, date.plusMillis(i)));
        }
        return list;
    }

    @Test
    void readingsSurviveAReopenInOrderWithTheirType() throws Exception {
        Outbox outbox = new Outbox(dataDir, 1_000);
        outbox.start();
        outbox.append(readings("a", 0, 3, Instant.parse("2026-01-01T00:00:00Z")), 7);
        outbox.stop();

        Outbox reopened = new Outbox(dataDir, 1_000);
        reopened.start();
        List<OutboxReading> pending = reopened.pending("c", 10);
        reopened.stop();

        assertThat(pending).extracting(r -> r.reading().value()).containsExactly(0L, 1L, 2L);
        assertThat(pending).extracting(OutboxReading::term).containsOnly(7L);
        assertThat(pending.get(1).reading().readingDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00.001Z"));
    }

    @Test
    void atTheBoundOnlyTheLatestReadingPerTagAndMinuteStays() throws Exception {
        Outbox outbox = new Outbox(dataDir, 20);
        outbox.start();
        Instant minute = Instant.parse("2026-01-01T00:00:00Z");
        outbox.append(readings("a", 0, 15, minute), 1);
        outbox.append(readings("a", 15, 11, minute), 1);

        List<OutboxReading> pending = outbox.pending("c", 100);
        outbox.stop();

        assertThat(pending).extracting(r -> r.reading().value()).containsExactly(25L);
        assertThat(outbox.getConflatedAtBound()).isEqualTo(25);
    }
}
