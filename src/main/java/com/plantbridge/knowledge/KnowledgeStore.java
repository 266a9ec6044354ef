package com.plantbridge.knowledge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.plantbridge.reading.LastReading;

/** The peer's knowledge on disk ({@code <data dir>/peer-knowledge}, H2): one row per meter and the stream's position. */
final class KnowledgeStore implements AutoCloseable {

    private final Connection db;

    KnowledgeStore(Path dataDir) throws SQLException, java.io.IOException {
        Path directory = dataDir.resolve("peer-knowledge");
        Files.createDirectories(directory);
        db = DriverManager.getConnection("jdbc:h2:retry:" + directory.resolve("peer").toAbsolutePath(), "bridge", "");
        try (Statement s = db.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS peer_entry (
                      ref_key BIGINT PRIMARY KEY,
                      held_value DOUBLE PRECISION, held_date BIGINT, settled BOOLEAN NOT NULL,
                      way_value DOUBLE PRECISION, way_date BIGINT, learned_at BIGINT)""");
            s.execute("CREATE TABLE IF NOT EXISTS peer_stream (id INT PRIMARY KEY, epoch VARCHAR(64), last_seq BIGINT NOT NULL, known_up_to BIGINT)");
        }
        db.setAutoCommit(false);
    }

    record Stored(Map<Long, Knowledge> entries, String epoch, long last, Instant knownUpTo) {
    }

    Stored read() throws SQLException {
        Map<Long, Knowledge> entries = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM peer_entry")) {
            while (rs.next()) {
                entries.put(rs.getLong("ref_key"), new Knowledge(reading(rs, "held_value", "held_date"), rs.getBoolean("settled"),
                        reading(rs, "way_value", "way_date"), instant(rs, "learned_at")));
            }
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT epoch, last_seq, known_up_to FROM peer_stream WHERE id = 1")) {
            if (rs.next()) {
                return new Stored(entries, rs.getString(1), rs.getLong(2), instant(rs, "known_up_to"));
            }
        }
        return new Stored(entries, null, 0, null);
    }

    void write(PeerLedger.Checkpoint checkpoint) throws SQLException {
        try (PreparedStatement merge = db.prepareStatement("MERGE INTO peer_entry(ref_key, held_value, held_date, settled, way_value, way_date,"
                + " learned_at) KEY(ref_key) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement stream = db.prepareStatement("MERGE INTO peer_stream(id, epoch, last_seq, known_up_to) KEY(id) VALUES (1, ?, ?, ?)")) {
            for (Map.Entry<Long, Knowledge> e : checkpoint.changed().entrySet()) {
                Knowledge k = e.getValue();
                merge.setLong(1, e.getKey());
                setReading(merge, 2, k.held());
                merge.setBoolean(4, k.settled());
                setReading(merge, 5, k.onItsWay());
                setInstant(merge, 7, k.learnedAt());
                merge.addBatch();
            }
            merge.executeBatch();
            stream.setString(1, checkpoint.epoch());
            stream.setLong(2, checkpoint.last());
            setInstant(stream, 3, checkpoint.knownUpTo());
            stream.executeUpdate();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    private static LastReading reading(ResultSet rs, String value, String date) throws SQLException {
        long millis = rs.getLong(date);
        return rs.wasNull() ? null : new LastReading(rs.getDouble(value), Instant.ofEpochMilli(millis));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setReading(PreparedStatement s, int index, LastReading reading) throws SQLException {
        if (reading == null) {
            s.setNull(index, Types.DOUBLE);
            s.setNull(index + 1, Types.BIGINT);
        } else {
            s.setDouble(index, reading.value());
            s.setLong(index + 1, reading.readingDate().toEpochMilli());
        }
    }

    private static void setInstant(PreparedStatement s, int index, Instant at) throws SQLException {
        if (at == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, at.toEpochMilli());
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
