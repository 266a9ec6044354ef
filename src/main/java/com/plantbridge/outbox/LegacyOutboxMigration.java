package com.plantbridge.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.reading.MeterReading;

/**
 * Earlier versions kept one row per reading in a table {@code reading} (state 0 waiting, 1 in
 * flight with a batch id, 3 quarantined). Its readings move to the chunk log in one transaction at
 * the first start, so an upgrade loses nothing accepted: batches in flight stay in flight (and are
 * settled), waiting readings keep their order, quarantined ones stay quarantined.
 */
final class LegacyOutboxMigration {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyOutboxMigration.class);

    private LegacyOutboxMigration() {
    }

    static void run(Connection db) throws SQLException {
        if (!legacyTableExists(db)) {
            return;
        }
        long seq;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT GREATEST(COALESCE((SELECT MAX(last_seq) FROM outbox_chunk), 0), COALESCE((SELECT MAX(seq) FROM outbox_quarantine), 0))")) {
            rs.next();
            seq = rs.getLong(1);
        }
        Map<String, Map<Long, List<Row>>> inFlight = new LinkedHashMap<>();
        Map<String, List<Row>> waiting = new LinkedHashMap<>();
        List<Row> quarantined = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM reading ORDER BY id")) {
            while (rs.next()) {
                Row row = Row.of(rs);
                switch (rs.getInt("state")) {
                    case 0 -> waiting.computeIfAbsent(row.reading().connector(), c -> new ArrayList<>()).add(row);
                    case 1 -> inFlight.computeIfAbsent(row.reading().connector(), c -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getLong("batch_id"), b -> new ArrayList<>()).add(row);
                    default -> quarantined.add(row);
                }
            }
        }
        long batchId = 0;
        int moved = 0;
        try {
            for (String connector : union(inFlight.keySet(), waiting.keySet())) {
                for (List<Row> batch : inFlight.getOrDefault(connector, Map.of()).values()) {
                    long after = seq;
                    seq = insertChunk(db, connector, batch, seq);
                    try (PreparedStatement p = db.prepareStatement("INSERT INTO outbox_in_flight(batch_id, connector, after_seq, last_seq) VALUES (?, ?, ?, ?)")) {
                        p.setLong(1, ++batchId);
                        p.setString(2, connector);
                        p.setLong(3, after);
                        p.setLong(4, seq);
                        p.executeUpdate();
                    }
                    moved += batch.size();
                }
                List<Row> line = waiting.getOrDefault(connector, List.of());
                for (int from = 0; from < line.size(); from += Outbox.MAX_CHUNK) {
                    seq = insertChunk(db, connector, line.subList(from, Math.min(line.size(), from + Outbox.MAX_CHUNK)), seq);
                }
                moved += line.size();
            }
            try (PreparedStatement q = db.prepareStatement("INSERT INTO outbox_quarantine(seq, connector, tag_path, meter_id, value_num,"
                    + " value_is_integer, reading_date, term, captured_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Row row : quarantined) {
                    q.setLong(1, ++seq);
                    q.setString(2, row.reading().connector());
                    q.setString(3, row.reading().tagPath());
                    q.setLong(4, row.reading().meterId());
                    q.setDouble(5, row.reading().value().doubleValue());
                    q.setBoolean(6, ChunkCodec.isInteger(row.reading().value()));
                    q.setLong(7, row.reading().readingDate().toEpochMilli());
                    q.setLong(8, row.term());
                    q.setLong(9, row.capturedAt());
                    q.setString(10, row.reason() == null ? "quarantined" : row.reason());
                    q.executeUpdate();
                }
            }
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE reading");
                s.execute("DROP SEQUENCE IF EXISTS batch_seq");
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
        LOG.info("Outbox moved to the chunk log: {} readings waiting or in flight, {} quarantined", moved, quarantined.size());
    }

    private static boolean legacyTableExists(Connection db) throws SQLException {
        try (ResultSet rs = db.getMetaData().getTables(null, null, "READING", null)) {
            return rs.next();
        }
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        List<String> all = new ArrayList<>(a);
        b.stream().filter(c -> !a.contains(c)).forEach(all::add);
        return all;
    }

    /** Writes the rows as one chunk with new seqs after {@code seq}; returns the last seq used. */
    private static long insertChunk(Connection db, String connector, List<Row> rows, long seq) throws SQLException {
        List<OutboxReading> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            items.add(new OutboxReading(++seq, row.reading(), row.term(), row.capturedAt()));
        }
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO outbox_chunk(first_seq, last_seq, connector, term, captured_at, items) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, items.get(0).seq());
            p.setLong(2, seq);
            p.setString(3, connector);
            p.setLong(4, rows.get(rows.size() - 1).term());
            p.setLong(5, rows.get(0).capturedAt());
            p.setBytes(6, ChunkCodec.encode(items));
            p.executeUpdate();
        }
        return seq;
    }

    private record Row(MeterReading reading, long term, long capturedAt, String reason) {
        static Row of(ResultSet rs) throws SQLException {
            double value = rs.getDouble("value_num");
            Number number = rs.getBoolean("value_is_integer") ? (Number) Math.round(value) : (Number) value;
            return new Row(new MeterReading(rs.getString("connector"), rs.getString("tag_path"), rs.getLong("meter_id"), number,
                    Instant.ofEpochMilli(rs.getLong("reading_date"))), rs.getLong("term"), rs.getLong("captured_at"), rs.getString("reason"));
        }
    }
}
