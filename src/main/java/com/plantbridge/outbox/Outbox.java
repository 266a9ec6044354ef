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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.MeterReading;

/**
 * The durable store of accepted readings, an embedded H2 database in the data dir. A reading is
 * accepted once its insert has committed; it leaves only when MaintainX has answered 201 (then it
 * is deleted) or refused it for good (then it stays, quarantined, with the reason). Before a POST
 * its rows are marked in flight with a batch id, so that after a crash the batches whose outcome
 * is unknown can be settled against what MaintainX holds instead of being sent twice.
 */
@ManagedResource(description = "Durable outbox of accepted readings")
public final class Outbox extends ServiceSupport {

    static final int PENDING = 0;
    static final int IN_FLIGHT = 1;
    static final int QUARANTINED = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Path directory;
    private final long maxReadings;
    private final AtomicLong size = new AtomicLong();
    private final AtomicLong droppedAtBound = new AtomicLong();
    private final AtomicLong conflatedAtBound = new AtomicLong();
    /** Appends and state changes; readers use their own connection so the sender does not wait behind appends. */
    private Connection db;
    private Connection reader;
    private PreparedStatement insert;
    private PreparedStatement selectPending;
    private final Object readLock = new Object();

    public Outbox(Path dataDir, long maxReadings) {
        this.directory = dataDir.resolve("outbox");
        this.maxReadings = maxReadings;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(directory);
        // WRITE_DELAY=0: a commit reaches the OS before append() returns, so a killed process loses nothing it accepted.
        db = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("outbox").toAbsolutePath() + ";WRITE_DELAY=0", "bridge", "");
        try (Statement s = db.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS reading (
                      id BIGINT AUTO_INCREMENT PRIMARY KEY,
                      connector VARCHAR(64) NOT NULL,
                      tag_path VARCHAR(1024) NOT NULL,
                      meter_id BIGINT NOT NULL,
                      value_num DOUBLE PRECISION NOT NULL,
                      value_is_integer BOOLEAN NOT NULL,
                      reading_date BIGINT NOT NULL,
                      term BIGINT NOT NULL,
                      captured_at BIGINT NOT NULL,
                      state TINYINT NOT NULL,
                      batch_id BIGINT,
                      reason VARCHAR(2000))""");
            s.execute("CREATE INDEX IF NOT EXISTS reading_queue ON reading(connector, state, id)");
            s.execute("CREATE SEQUENCE IF NOT EXISTS batch_seq");
        }
        reader = DriverManager.getConnection(db.getMetaData().getURL(), "bridge", "");
        size.set(countAll());
        db.setAutoCommit(false);
        insert = db.prepareStatement("INSERT INTO reading(connector, tag_path, meter_id, value_num, value_is_integer, reading_date, term, captured_at, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)");
        selectPending = reader.prepareStatement("SELECT * FROM reading WHERE connector = ? AND state = 0 ORDER BY id LIMIT ?");
    }

    @Override
    protected void doStop() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Stores the readings in one transaction; when this returns, they survive a kill of the process. */
    public synchronized void append(List<MeterReading> readings, long term) throws SQLException {
        long now = System.currentTimeMillis();
        try {
            for (MeterReading reading : readings) {
                insert.setString(1, reading.connector());
                insert.setString(2, reading.tagPath());
                insert.setLong(3, reading.meterId());
                insert.setDouble(4, reading.value().doubleValue());
                insert.setBoolean(5, reading.value() instanceof Long || reading.value() instanceof Integer);
                insert.setLong(6, reading.readingDate().toEpochMilli());
                insert.setLong(7, term);
                insert.setLong(8, now);
                insert.addBatch();
            }
            insert.executeBatch();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        }
        if (size.addAndGet(readings.size()) > maxReadings) {
            enforceBound();
        }
    }

    /**
     * The store's bound (bridge.outbox.max-readings), reached during a long MaintainX outage:
     * first keep only the latest reading per tag and minute; if that is not enough, drop the
     * oldest pending readings. Either is logged with counts; neither is silent.
     */
    private void enforceBound() throws SQLException {
        int merged = conflatePerMinute();
        conflatedAtBound.addAndGet(merged);
        size.set(countAll());
        LOG.warn("Outbox reached its bound of {} readings (bridge.outbox.max-readings): merged {} pending readings into the latest value per tag and minute; {} held now",
                maxReadings, merged, size.get());
        long target = maxReadings * 9 / 10;
        if (size.get() > target) {
            int dropped = dropOldestPending(size.get() - target);
            droppedAtBound.addAndGet(dropped);
            size.set(countAll());
            LOG.error("Outbox still over 90% of its bound after merging: dropped the {} oldest pending readings; {} held now", dropped, size.get());
        }
    }

    @ManagedAttribute(description = "Readings merged into the latest per tag and minute when the bound was reached")
    public long getConflatedAtBound() {
        return conflatedAtBound.get();
    }

    @ManagedAttribute(description = "Oldest pending readings dropped because merging was not enough")
    public long getDroppedAtBound() {
        return droppedAtBound.get();
    }

    @ManagedAttribute(description = "Readings held: pending, in flight and quarantined")
    public long getSize() {
        return size.get();
    }

    @ManagedAttribute(description = "The bound: bridge.outbox.max-readings")
    public long getMaxReadings() {
        return maxReadings;
    }

    /** The oldest pending readings of a connector, in the order they were accepted. */
    public List<OutboxReading> pending(String connector, int max) throws SQLException {
        synchronized (readLock) {
            selectPending.setString(1, connector);
            selectPending.setInt(2, max);
            List<OutboxReading> list = new ArrayList<>();
            try (ResultSet rs = selectPending.executeQuery()) {
                while (rs.next()) {
                    list.add(row(rs));
                }
            }
            return list;
        }
    }

    public long newBatchId() throws SQLException {
        synchronized (readLock) {
            try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR batch_seq")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Marks the batch in flight and returns the readings actually marked: the bound may have merged
     * some away since the batch was cut, and those must not be sent.
     */
    public synchronized List<OutboxReading> markInFlight(List<OutboxReading> batch, long batchId) throws SQLException {
        if (batch.isEmpty()) {
            return batch;
        }
        // A cut is the connector's oldest pending readings, so one range update marks exactly it.
        String connector = batch.get(0).reading().connector();
        long lastId = batch.get(batch.size() - 1).id();
        int marked;
        try (PreparedStatement s = db.prepareStatement(
                "UPDATE reading SET state = 1, batch_id = ? WHERE connector = ? AND state = 0 AND id >= ? AND id <= ?")) {
            s.setLong(1, batchId);
            s.setString(2, connector);
            s.setLong(3, batch.get(0).id());
            s.setLong(4, lastId);
            marked = s.executeUpdate();
        }
        db.commit();
        if (marked == batch.size()) {
            return batch;
        }
        synchronized (readLock) {
            try (PreparedStatement s = reader.prepareStatement("SELECT * FROM reading WHERE batch_id = ? ORDER BY id")) {
                s.setLong(1, batchId);
                List<OutboxReading> list = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        list.add(row(rs));
                    }
                }
                return list;
            }
        }
    }

    /** MaintainX holds the batch: it leaves the outbox. */
    public synchronized void delivered(long batchId) throws SQLException {
        int deleted;
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM reading WHERE batch_id = ?")) {
            delete.setLong(1, batchId);
            deleted = delete.executeUpdate();
        }
        db.commit();
        size.addAndGet(-deleted);
    }

    /** Back in line, in their original order (their ids do not change). */
    public synchronized void backToPending(long batchId) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("UPDATE reading SET state = 0, batch_id = NULL WHERE batch_id = ?")) {
            s.setLong(1, batchId);
            s.executeUpdate();
        }
        db.commit();
    }

    public synchronized void quarantine(List<OutboxReading> readings, String reason) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("UPDATE reading SET state = 3, batch_id = NULL, reason = ? WHERE id = ?")) {
            for (OutboxReading r : readings) {
                q.setString(1, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
                q.setLong(2, r.id());
                q.addBatch();
            }
            q.executeBatch();
        }
        db.commit();
    }

    /** Batches that were being posted when the process stopped: their outcome is unknown. */
    public Map<Long, List<OutboxReading>> inFlight(String connector) throws SQLException {
        synchronized (readLock) {
            return inFlightRead(connector);
        }
    }

    private Map<Long, List<OutboxReading>> inFlightRead(String connector) throws SQLException {
        Map<Long, List<OutboxReading>> batches = new LinkedHashMap<>();
        try (PreparedStatement s = reader.prepareStatement("SELECT * FROM reading WHERE connector = ? AND state = 1 ORDER BY id")) {
            s.setString(1, connector);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    batches.computeIfAbsent(rs.getLong("batch_id"), b -> new ArrayList<>()).add(row(rs));
                }
            }
        }
        return batches;
    }

    public List<Quarantined> quarantined(String connector, int max) throws SQLException {
        synchronized (readLock) {
            return quarantinedRead(connector, max);
        }
    }

    private List<Quarantined> quarantinedRead(String connector, int max) throws SQLException {
        List<Quarantined> list = new ArrayList<>();
        try (PreparedStatement s = reader.prepareStatement("SELECT * FROM reading WHERE connector = ? AND state = 3 ORDER BY id DESC LIMIT ?")) {
            s.setString(1, connector);
            s.setInt(2, max);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    list.add(new Quarantined(row(rs), rs.getString("reason")));
                }
            }
        }
        return list;
    }

    /** Puts a connector's quarantined readings back in line (after the cause was fixed); returns how many. */
    public synchronized int replayQuarantine(String connector) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("UPDATE reading SET state = 0, reason = NULL WHERE connector = ? AND state = 3")) {
            s.setString(1, connector);
            int count = s.executeUpdate();
            db.commit();
            return count;
        }
    }

    public OutboxCounts counts(String connector) throws SQLException {
        synchronized (readLock) {
            return countsRead(connector);
        }
    }

    private OutboxCounts countsRead(String connector) throws SQLException {
        try (PreparedStatement s = reader.prepareStatement(
                "SELECT state, COUNT(*), MIN(captured_at) FROM reading WHERE connector = ? GROUP BY state")) {
            s.setString(1, connector);
            long pending = 0;
            long inFlight = 0;
            long quarantined = 0;
            Instant oldest = null;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    switch (rs.getInt(1)) {
                        case PENDING -> {
                            pending = rs.getLong(2);
                            oldest = Instant.ofEpochMilli(rs.getLong(3));
                        }
                        case IN_FLIGHT -> inFlight = rs.getLong(2);
                        case QUARANTINED -> quarantined = rs.getLong(2);
                        default -> { }
                    }
                }
            }
            return new OutboxCounts(pending, inFlight, quarantined, oldest);
        }
    }

    /** All readings held (pending, in flight, quarantined). */
    public long size() {
        return size.get();
    }

    private long countAll() throws SQLException {
        synchronized (readLock) {
            try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM reading")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Keeps only the latest pending reading per tag and minute of reading date; returns how many
     * readings were merged away. The bound's policy: lose resolution, not the latest values.
     */
    synchronized int conflatePerMinute() throws SQLException {
        try (Statement s = db.createStatement()) {
            int merged = s.executeUpdate("DELETE FROM reading WHERE state = 0 AND id NOT IN ("
                    + "SELECT MAX(id) FROM reading WHERE state = 0 GROUP BY connector, tag_path, reading_date / 60000)");
            db.commit();
            return merged;
        }
    }

    /** Last resort of the bound: removes the oldest pending readings; returns how many. */
    synchronized int dropOldestPending(long count) throws SQLException {
        try (Statement s = db.createStatement()) {
            int dropped = s.executeUpdate("DELETE FROM reading WHERE id IN (SELECT id FROM reading WHERE state = 0 ORDER BY id LIMIT " + count + ")");
            db.commit();
            return dropped;
        }
    }

    private static OutboxReading row(ResultSet rs) throws SQLException {
        double value = rs.getDouble("value_num");
        Number number = rs.getBoolean("value_is_integer") ? (Number) Math.round(value) : (Number) value;
        MeterReading reading = new MeterReading(rs.getString("connector"), rs.getString("tag_path"), rs.getLong("meter_id"),
                number, Instant.ofEpochMilli(rs.getLong("reading_date")));
        return new OutboxReading(rs.getLong("id"), reading, rs.getLong("term"), rs.getLong("captured_at"));
    }

    /** A reading MaintainX refused for good, with the reason. */
    public record Quarantined(OutboxReading reading, String reason) {
    }
}
