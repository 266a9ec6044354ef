package com.plantbridge.maintainx;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.Outbox;
import com.plantbridge.reading.MeterReading;

/**
 * Where one connector's readings enter the outbox. It outlives the connector's senders, so that a
 * settings change, whatever its sender is doing, never stands between a tag route and the outbox.
 * Readings captured while this node led are stored whatever happened to leadership since (the tag
 * consumer's fence decided at capture). Any other readings are stored only while the node leads:
 * otherwise they are the leader's, and are counted, not stored.
 */
final class ReadingIntake {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingIntake.class);

    private final String connector;
    private final Outbox outbox;
    private final ConnectorSender.Leadership leadership;
    private final Outbox.MeterResolver meters;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong discardedOnStandby = new AtomicLong();
    private volatile boolean discarding;

    ReadingIntake(String connector, Outbox outbox, ConnectorSender.Leadership leadership, Outbox.MeterResolver meters) {
        this.connector = connector;
        this.outbox = outbox;
        this.leadership = leadership;
        this.meters = meters;
    }

    /** When this returns true, the readings survive a crash; false: they were not this node's to store. */
    boolean accept(List<MeterReading> readings, boolean capturedWhileLeading) throws SQLException {
        if (!capturedWhileLeading && !leadership.isLeader()) {
            discardedOnStandby.addAndGet(readings.size());
            if (!discarding) {
                discarding = true;
                LOG.warn("Connector {}: readings arrive while this node is not the leader; they are not sent (counted as discardedOnStandby)", connector);
            }
            return false;
        }
        discarding = false;
        outbox.append(readings, leadership.term(), meters);
        accepted.addAndGet(readings.size());
        return true;
    }

    long accepted() {
        return accepted.get();
    }

    long discardedOnStandby() {
        return discardedOnStandby.get();
    }
}
