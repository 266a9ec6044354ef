package com.plantbridge.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.reading.MeterReading;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox on its own disk: what survives a reopen, what its bound keeps, what a crash leaves in flight. */
class OutboxTest {

    @TempDir
    Path dataDir;
    private Outbox outbox;

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.stop();
        }
    }

    private Outbox open(long max) {
        outbox = new Outbox(dataDir, max);
        outbox.start();
        return outbox;
    }

    private Outbox reopen() {
        outbox.stop();
        return open(outbox.getMaxReadings());
    }

    private static List<MeterReading> readings(String tag, int from, int count, Instant date) {
        List<MeterReading> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            list.add(new MeterReading("c", tag, 1, (long) i, date.plusMillis(i)));
        }
        return list;
    }

    private static List<Object> values(List<OutboxReading> readings) {
        return readings.stream().map(r -> (Object) r.reading().value()).toList();
    }

    @Test
    void readingsSurviveAReopenInOrderWithTheirType() throws Exception {
        open(1_000).append(readings("a", 0, 3, Instant.parse("2026-01-01T00:00:00Z")), 7);
        outbox.append(List.of(new MeterReading("c", "b", 2, 2.5, Instant.parse("2026-01-01T00:00:01Z"))), 7);

        List<OutboxReading> pending = reopen().pending("c", 10);

        assertThat(values(pending)).containsExactly(0L, 1L, 2L, 2.5);
        assertThat(pending).extracting(OutboxReading::term).containsOnly(7L);
        assertThat(pending.get(1).reading().readingDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00.001Z"));
        assertThat(pending.get(3).reading().tagPath()).isEqualTo("b");
    }

    @Test
    void atTheBoundOnlyTheLatestReadingPerTagAndMinuteStays() throws Exception {
        open(20);
        Instant minute = Instant.parse("2026-01-01T00:00:00Z");
        outbox.append(readings("a", 0, 15, minute), 1);
        outbox.append(readings("a", 15, 11, minute), 1);

        assertThat(values(outbox.pending("c", 100))).containsExactly(25L);
        assertThat(outbox.getConflatedAtBound()).isEqualTo(25);
        assertThat(values(reopen().pending("c", 100))).as("after a reopen").containsExactly(25L);
    }

    @Test
    void whenMergingIsNotEnoughTheOldestWaitingReadingsAreDropped() throws Exception {
        open(10);
        List<MeterReading> distinctTags = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            distinctTags.add(new MeterReading("c", "t" + i, i + 1, (long) i, Instant.parse("2026-01-01T00:00:00Z")));
        }
        outbox.append(distinctTags, 1);

        assertThat(outbox.getDroppedAtBound()).isEqualTo(3);
        assertThat(values(outbox.pending("c", 100))).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(values(reopen().pending("c", 100))).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void deliveredReadingsAreGoneAfterAReopenAndTheRestKeepsItsOrder() throws Exception {
        open(1_000).append(readings("a", 0, 10, Instant.EPOCH), 1);
        List<OutboxReading> cut = outbox.queue("c").take(4);
        InFlightBatch batch = outbox.markInFlight("c", cut, cut.get(3).seq());
        outbox.delivered(batch);

        assertThat(outbox.counts("c").inFlight()).isZero();
        assertThat(values(reopen().pending("c", 100))).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(outbox.unsettled("c")).isEmpty();
        assertThat(outbox.size()).isEqualTo(6);
    }

    @Test
    void aDeliveredBatchAndTheNextMarkAreWrittenTogether() throws Exception {
        open(1_000).append(readings("a", 0, 10, Instant.EPOCH), 1);
        List<OutboxReading> first = outbox.queue("c").take(4);
        InFlightBatch batch = outbox.markInFlight("c", first, first.get(3).seq());
        List<OutboxReading> second = outbox.queue("c").take(3);

        outbox.deliveredAndMark(batch, second, second.get(2).seq());

        assertThat(outbox.counts("c").inFlight()).isEqualTo(3);
        reopen();
        assertThat(values(outbox.unsettled("c").get(0).readings())).containsExactly(4L, 5L, 6L);
        assertThat(values(outbox.pending("c", 100))).containsExactly(7L, 8L, 9L);
    }

    @Test
    void aBatchInFlightAtACrashIsUnsettledAfterTheReopenAndHeldApartFromTheLine() throws Exception {
        open(1_000).append(readings("a", 0, 10, Instant.EPOCH), 1);
        List<OutboxReading> cut = outbox.queue("c").take(4);
        outbox.markInFlight("c", cut, cut.get(3).seq());

        reopen();

        assertThat(outbox.unsettled("c")).hasSize(1);
        assertThat(values(outbox.unsettled("c").get(0).readings())).containsExactly(0L, 1L, 2L, 3L);
        assertThat(values(outbox.pending("c", 100))).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(outbox.counts("c").inFlight()).isEqualTo(4);
    }

    @Test
    void anUnsettledBatchAtMaintainxIsDoneAndOneThatIsNotGoesBackToTheHead() throws Exception {
        open(1_000).append(readings("a", 0, 6, Instant.EPOCH), 1);
        List<OutboxReading> first = outbox.queue("c").take(2);
        outbox.markInFlight("c", first, first.get(1).seq());
        reopen();

        outbox.settled(outbox.unsettled("c").get(0), true);

        assertThat(values(reopen().pending("c", 100))).containsExactly(2L, 3L, 4L, 5L);
        List<OutboxReading> second = outbox.queue("c").take(2);
        outbox.markInFlight("c", second, second.get(1).seq());
        reopen();

        outbox.settled(outbox.unsettled("c").get(0), false);

        assertThat(values(outbox.pending("c", 100))).containsExactly(2L, 3L, 4L, 5L);
        assertThat(outbox.counts("c").inFlight()).isZero();
        assertThat(values(reopen().pending("c", 100))).containsExactly(2L, 3L, 4L, 5L);
    }

    @Test
    void aReadingQuarantinedFromTheMiddleOfABatchIsNeitherResentNorLostAndAReplayQueuesItLast() throws Exception {
        open(1_000).append(readings("a", 0, 5, Instant.EPOCH), 1);
        List<OutboxReading> cut = outbox.queue("c").take(3);
        outbox.quarantine("c", List.of(new Outbox.Refusal(cut.get(1), "meter refused")), 0);
        outbox.markInFlight("c", List.of(cut.get(0), cut.get(2)), cut.get(2).seq());

        reopen();

        assertThat(values(outbox.unsettled("c").get(0).readings())).containsExactly(0L, 2L);
        assertThat(outbox.quarantined("c", 10)).extracting(Outbox.Quarantined::reason).containsExactly("meter refused");
        assertThat(outbox.counts("c").quarantined()).isEqualTo(1);
        assertThat(outbox.size()).isEqualTo(5);

        assertThat(outbox.replayQuarantine("c")).isEqualTo(1);

        assertThat(values(outbox.pending("c", 100))).containsExactly(3L, 4L, 1L);
        assertThat(values(reopen().pending("c", 100))).containsExactly(3L, 4L, 1L);
        assertThat(outbox.quarantined("c", 10)).isEmpty();
    }

    @Test
    void readingsOfTheEarlierOneRowPerReadingTableMoveToTheLogWithTheirState() throws Exception {
        java.nio.file.Files.createDirectories(dataDir.resolve("outbox"));
        String url = "jdbc:h2:file:" + dataDir.resolve("outbox/outbox").toAbsolutePath();
        try (Connection db = DriverManager.getConnection(url, "bridge", ""); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE reading (id BIGINT AUTO_INCREMENT PRIMARY KEY, connector VARCHAR(64) NOT NULL, tag_path VARCHAR(1024) NOT NULL,"
                    + " meter_id BIGINT NOT NULL, value_num DOUBLE PRECISION NOT NULL, value_is_integer BOOLEAN NOT NULL, reading_date BIGINT NOT NULL,"
                    + " term BIGINT NOT NULL, captured_at BIGINT NOT NULL, state TINYINT NOT NULL, batch_id BIGINT, reason VARCHAR(2000))");
            try (PreparedStatement p = db.prepareStatement("INSERT INTO reading(connector, tag_path, meter_id, value_num, value_is_integer,"
                    + " reading_date, term, captured_at, state, batch_id, reason) VALUES ('c', 'a', 1, ?, ?, 0, 3, 0, ?, ?, ?)")) {
                Object[][] rows = {{1.0, true, 1, 7L, null}, {2.0, true, 1, 7L, null}, {3.5, false, 0, null, null}, {4.0, true, 3, null, "HTTP 400"}, {5.0, true, 0, null, null}};
                for (Object[] row : rows) {
                    p.setDouble(1, (Double) row[0]);
                    p.setBoolean(2, (Boolean) row[1]);
                    p.setInt(3, (Integer) row[2]);
                    p.setObject(4, row[3]);
                    p.setString(5, (String) row[4]);
                    p.executeUpdate();
                }
            }
        }

        open(1_000);

        assertThat(values(outbox.unsettled("c").get(0).readings())).containsExactly(1L, 2L);
        assertThat(values(outbox.pending("c", 10))).containsExactly(3.5, 5L);
        assertThat(outbox.quarantined("c", 10)).extracting(q -> q.reading().reading().value(), Outbox.Quarantined::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, "HTTP 400"));
        assertThat(outbox.unsettled("c").get(0).readings()).extracting(OutboxReading::term).containsOnly(3L);
    }
}
