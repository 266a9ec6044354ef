package com.plantbridge.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.plantbridge.reading.MeterReading;

/**
 * The outbox's H2 tables. The log holds one row per append ({@code outbox_chunk}); what is done is
 * a watermark per connector ({@code outbox_done}) plus the deletion of chunks wholly below it, so
 * delivering a batch rewrites no index of readings. Batches in flight are a small table of seq
 * ranges. Not thread-safe: {@link Outbox} serializes the writer; the reader connection has its own lock.
 */
final class OutboxStore implements AutoCloseable {

    /** A chunk row as read back at start. */
    record Chunk(long firstSeq, long lastSeq, String connector, long term, long capturedAt, byte[] items) {
    }

    /** A batch marked in flight, as stored. */
    record InFlightRow(long batchId, String connector, long afterSeq, long lastSeq) {
    }

    private final Connection db;
    private final Connection reader;
    private final Object readLock = new Object();
    private final PreparedStatement insertChunk;
    private final PreparedStatement deleteChunk;
    private final PreparedStatement setDone;
    private final PreparedStatement insertInFlight;
    private final PreparedStatement deleteInFlight;
    private final PreparedStatement mergeHeld;

    OutboxStore(Path directory) throws SQLException, java.io.IOException {
        Files.createDirectories(directory);
        // WRITE_DELAY=0: a commit reaches the OS before append() returns, so a killed process loses nothing it accepted.
        // retry: H2 reopens its file if a thread that Camel or Milo interrupts was in the middle of a write.
        String url = "jdbc:h2:retry:" + directory.resolve("outbox").toAbsolutePath() + ";WRITE_DELAY=0";
        db = DriverManager.getConnection(url, "bridge", "");
        try (Statement s = db.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS outbox_chunk (
                      first_seq BIGINT PRIMARY KEY,
                      last_seq BIGINT NOT NULL,
                      connector VARCHAR(200) NOT NULL,
                      term BIGINT NOT NULL,
                      captured_at BIGINT NOT NULL,
                      items VARBINARY NOT NULL)""");
            s.execute("CREATE TABLE IF NOT EXISTS outbox_done (connector VARCHAR(200) PRIMARY KEY, done_seq BIGINT NOT NULL)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS outbox_in_flight (
                      batch_id BIGINT PRIMARY KEY,
                      connector VARCHAR(200) NOT NULL,
                      after_seq BIGINT NOT NULL,
                      last_seq BIGINT NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS outbox_quarantine (
                      seq BIGINT PRIMARY KEY,
                      connector VARCHAR(200) NOT NULL,
                      tag_path VARCHAR(1024) NOT NULL,
                      meter_id BIGINT NOT NULL,
                      value_num DOUBLE PRECISION NOT NULL,
                      value_is_integer BOOLEAN NOT NULL,
                      reading_date BIGINT NOT NULL,
                      term BIGINT NOT NULL,
                      captured_at BIGINT NOT NULL,
                      reason VARCHAR(2000) NOT NULL)""");
            s.execute("CREATE INDEX IF NOT EXISTS outbox_quarantine_connector ON outbox_quarantine(connector, seq)");
            // An asset status change kept in quarantine: its asset (0 for a meter reading). Added in place on older stores.
            s.execute("ALTER TABLE outbox_quarantine ADD COLUMN IF NOT EXISTS asset_id BIGINT DEFAULT 0 NOT NULL");
            // What MaintainX holds per meter (or asset status), as this node learned it: newest reading delivered or read.
            s.execute("""
                    CREATE TABLE IF NOT EXISTS outbox_held (
                      ref_key BIGINT PRIMARY KEY,
                      value_num DOUBLE PRECISION NOT NULL,
                      reading_date BIGINT NOT NULL,
                      learned_at BIGINT NOT NULL)""");
        }
        reader = DriverManager.getConnection(url, "bridge", "");
        db.setAutoCommit(false);
        insertChunk = db.prepareStatement("INSERT INTO outbox_chunk(first_seq, last_seq, connector, term, captured_at, items) VALUES (?, ?, ?, ?, ?, ?)");
        deleteChunk = db.prepareStatement("DELETE FROM outbox_chunk WHERE first_seq = ?");
        setDone = db.prepareStatement("MERGE INTO outbox_done(connector, done_seq) KEY(connector) VALUES (?, ?)");
        insertInFlight = db.prepareStatement("INSERT INTO outbox_in_flight(batch_id, connector, after_seq, last_seq) VALUES (?, ?, ?, ?)");
        deleteInFlight = db.prepareStatement("DELETE FROM outbox_in_flight WHERE batch_id = ?");
        mergeHeld = db.prepareStatement("MERGE INTO outbox_held(ref_key, value_num, reading_date, learned_at) KEY(ref_key) VALUES (?, ?, ?, ?)");
    }

    /** Rows of the held table, in one JDBC batch of the writer's transaction. */
    void mergeHeld(List<HeldReading> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        for (HeldReading row : rows) {
            mergeHeld.setLong(1, row.key());
            mergeHeld.setDouble(2, row.value());
            mergeHeld.setLong(3, row.readingDateMillis());
            mergeHeld.setLong(4, row.learnedAtMillis());
            mergeHeld.addBatch();
        }
        mergeHeld.executeBatch();
    }

    List<HeldReading> held() throws SQLException {
        List<HeldReading> rows = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT ref_key, value_num, reading_date, learned_at FROM outbox_held")) {
            while (rs.next()) {
                rows.add(new HeldReading(rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return rows;
    }

    Connection writer() {
        return db;
    }

    void commit() throws SQLException {
        db.commit();
    }

    void rollback() throws SQLException {
        db.rollback();
    }

    void insertChunk(long firstSeq, long lastSeq, String connector, long term, long capturedAt, byte[] items) throws SQLException {
        insertChunk.setLong(1, firstSeq);
        insertChunk.setLong(2, lastSeq);
        insertChunk.setString(3, connector);
        insertChunk.setLong(4, term);
        insertChunk.setLong(5, capturedAt);
        insertChunk.setBytes(6, items);
        insertChunk.executeUpdate();
    }

    void deleteChunk(long firstSeq) throws SQLException {
        deleteChunk.setLong(1, firstSeq);
        deleteChunk.executeUpdate();
    }

    Chunk chunk(long firstSeq) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT * FROM outbox_chunk WHERE first_seq = ?")) {
            s.setLong(1, firstSeq);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? chunk(rs) : null;
            }
        }
    }

    void rewriteChunk(long firstSeq, long lastSeq, byte[] items) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("UPDATE outbox_chunk SET last_seq = ?, items = ? WHERE first_seq = ?")) {
            s.setLong(1, lastSeq);
            s.setBytes(2, items);
            s.setLong(3, firstSeq);
            s.executeUpdate();
        }
    }

    List<Chunk> chunks() throws SQLException {
        List<Chunk> all = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM outbox_chunk ORDER BY first_seq")) {
            while (rs.next()) {
                all.add(chunk(rs));
            }
        }
        return all;
    }

    private static Chunk chunk(ResultSet rs) throws SQLException {
        return new Chunk(rs.getLong("first_seq"), rs.getLong("last_seq"), rs.getString("connector"), rs.getLong("term"),
                rs.getLong("captured_at"), rs.getBytes("items"));
    }

    void setDone(String connector, long doneSeq) throws SQLException {
        setDone.setString(1, connector);
        setDone.setLong(2, doneSeq);
        setDone.executeUpdate();
    }

    Map<String, Long> done() throws SQLException {
        return perConnector("SELECT connector, done_seq FROM outbox_done");
    }

    /** A query's rows of (connector, number). */
    private Map<String, Long> perConnector(String sql) throws SQLException {
        Map<String, Long> values = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
        }
        return values;
    }

    void insertInFlight(long batchId, String connector, long afterSeq, long lastSeq) throws SQLException {
        insertInFlight.setLong(1, batchId);
        insertInFlight.setString(2, connector);
        insertInFlight.setLong(3, afterSeq);
        insertInFlight.setLong(4, lastSeq);
        insertInFlight.executeUpdate();
    }

    void deleteInFlight(long batchId) throws SQLException {
        deleteInFlight.setLong(1, batchId);
        deleteInFlight.executeUpdate();
    }

    List<InFlightRow> inFlight() throws SQLException {
        List<InFlightRow> rows = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT batch_id, connector, after_seq, last_seq FROM outbox_in_flight ORDER BY after_seq")) {
            while (rs.next()) {
                rows.add(new InFlightRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return rows;
    }

    /** The highest seq or batch id any table remembers, so that new ones never reuse a done one. */
    long[] highestSeqAndBatch() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT "
                + "GREATEST(COALESCE((SELECT MAX(last_seq) FROM outbox_chunk), 0), COALESCE((SELECT MAX(done_seq) FROM outbox_done), 0),"
                + " COALESCE((SELECT MAX(last_seq) FROM outbox_in_flight), 0), COALESCE((SELECT MAX(seq) FROM outbox_quarantine), 0)),"
                + " COALESCE((SELECT MAX(batch_id) FROM outbox_in_flight), 0)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    void insertQuarantine(OutboxReading r, String reason) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("INSERT INTO outbox_quarantine(seq, connector, tag_path, meter_id, value_num,"
                + " value_is_integer, reading_date, term, captured_at, reason, asset_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            MeterReading reading = r.reading();
            q.setLong(1, r.seq());
            q.setString(2, reading.connector());
            q.setString(3, reading.tagPath());
            q.setLong(4, reading.meterId());
            q.setDouble(5, reading.value().doubleValue());
            q.setBoolean(6, ChunkCodec.isInteger(reading.value()));
            q.setLong(7, reading.readingDate().toEpochMilli());
            q.setLong(8, r.term());
            q.setLong(9, r.capturedAtMillis());
            q.setString(10, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
            q.setLong(11, reading.assetId());
            q.executeUpdate();
        }
    }

    Map<String, Long> quarantineCounts() throws SQLException {
        return perConnector("SELECT connector, COUNT(*) FROM outbox_quarantine GROUP BY connector");
    }

    /** The newest quarantined readings of a connector, on the reader connection (the writer may be busy). */
    List<Outbox.Quarantined> quarantined(String connector, int max) throws SQLException {
        synchronized (readLock) {
            try (PreparedStatement s = reader.prepareStatement("SELECT * FROM outbox_quarantine WHERE connector = ? ORDER BY seq DESC LIMIT ?")) {
                s.setString(1, connector);
                s.setInt(2, max);
                return quarantinedRows(s);
            }
        }
    }

    /** All quarantined readings of a connector, oldest first, removed from the quarantine (in the writer's transaction). */
    List<OutboxReading> takeQuarantine(String connector) throws SQLException {
        List<OutboxReading> all = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT * FROM outbox_quarantine WHERE connector = ? ORDER BY seq")) {
            s.setString(1, connector);
            for (Outbox.Quarantined q : quarantinedRows(s)) {
                all.add(q.reading());
            }
        }
        try (PreparedStatement d = db.prepareStatement("DELETE FROM outbox_quarantine WHERE connector = ?")) {
            d.setString(1, connector);
            d.executeUpdate();
        }
        return all;
    }

    private static List<Outbox.Quarantined> quarantinedRows(PreparedStatement s) throws SQLException {
        List<Outbox.Quarantined> list = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                double value = rs.getDouble("value_num");
                Number number = rs.getBoolean("value_is_integer") ? (Number) Math.round(value) : (Number) value;
                MeterReading reading = new MeterReading(rs.getString("connector"), rs.getString("tag_path"), rs.getLong("meter_id"),
                        number, Instant.ofEpochMilli(rs.getLong("reading_date")), rs.getLong("asset_id"));
                list.add(new Outbox.Quarantined(new OutboxReading(rs.getLong("seq"), reading, rs.getLong("term"), rs.getLong("captured_at")),
                        rs.getString("reason")));
            }
        }
        return list;
    }

    @Override
    public void close() throws SQLException {
        reader.close();
        db.close();
    }
}
