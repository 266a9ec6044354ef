package com.plantbridge.redundancy;

import java.time.Duration;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.tags.CaptureFence;

/**
 * Whether this node leads, checked where readings are captured: camel-master 4.17 can drop a
 * leadership-lost event that arrives while a consumer is starting, so stopping the routes alone
 * could leave a second sender. A capture (one OPC UA notification's readings) that began while
 * the node led is accepted whatever happens to leadership before it reaches the outbox; a handover
 * waits for those captures before it tells the peer what this node will deliver.
 * Written only by the {@link LeadershipController}.
 */
public final class LeadershipFence implements ConnectorSender.Leadership, CaptureFence {

    private boolean leader;
    private long term;
    private int capturing;

    @Override
    public synchronized boolean isLeader() {
        return leader;
    }

    /** Counts the times this node took leadership since it started; stored with each reading. */
    @Override
    public synchronized long term() {
        return term;
    }

    /** A capture begins: true, and counted until {@link #exitCapture()}, while this node leads. */
    @Override
    public synchronized boolean enterCapture() {
        if (!leader) {
            return false;
        }
        capturing++;
        return true;
    }

    @Override
    public synchronized void exitCapture() {
        capturing--;
        if (capturing <= 0) {
            capturing = 0;
            notifyAll();
        }
    }

    synchronized void lead() {
        term++;
        leader = true;
    }

    synchronized void stand() {
        leader = false;
    }

    /** Waits until the captures that began while leading have reached the outbox; false when {@code max} passed first. */
    synchronized boolean awaitQuiet(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (capturing > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
