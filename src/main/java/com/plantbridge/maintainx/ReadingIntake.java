package com.plantbridge.maintainx;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.Outbox;

/**
 * Where one connector's readings enter the outbox. It outlives the connector's senders, so that a
 * settings change, whatever its sender is doing, never stands between a tag route and the outbox.
 * On a node that does not lead, a tag consumer still running (camel-master's flap defect, a
 * leftover monitored item) must not make it a second sender: such readings are the leader's and
 * are counted, not stored.
 */
final class ReadingIntake {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingIntake.class);

    private final String connector;
    private final Outbox outbox;
    private final ConnectorSender.Leadership leadership;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong discardedOnStandby = new AtomicLong();
    private volatile boolean discarding;

    ReadingIntake(String connector, Outbox outbox, ConnectorSender.Leadership leadership) {
        this.connector = connector;
        this.outbox = outbox;
        this.leadership = leadership;
    }

    /** When this returns, the readings survive a crash. */
    void accept(List<MeterReading> readings) throws SQLException {
        if (!leadership.isLeader()) {
            discardedOnStandby.addAndGet(readings.size());
            if (!discarding) {
                discarding = true;
                LOG.warn("Connector {}: readings arrive while this node is not the leader; they are not sent (counted as discardedOnStandby)", connector);
            }
            return;
        }
        discarding = false;
        outbox.append(readings, leadership.term());
        accepted.addAndGet(readings.size());
    }

    long accepted() {
        return accepted.get();
    }

    long discardedOnStandby() {
        return discardedOnStandby.get();
    }
}
