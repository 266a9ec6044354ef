package com.plantbridge.redundancy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeMap;

/**
 * Whether this node leads, checked where readings are captured: camel-master 4.17 can drop a
 * leadership-lost event that arrives while a consumer is starting, so stopping the routes alone
 * could leave a second sender. A capture (one OPC UA notification's readings) that began while
 * the node led is accepted whatever happens to leadership before it reaches the outbox; a handover
 * waits for those captures before it tells the peer what this node will deliver.
 * Written only by the {@link LeadershipController}.
 */
public final class LeadershipFence implements CaptureFence {

    private boolean leader;
    private long term;
    private int capturing;
    /** When each capture under way began (ms, with counts): what the peer may not have been told yet is younger than the oldest. */
    private final TreeMap<Long, Integer> captureStarts = new TreeMap<>();
    private final ThreadLocal<Deque<Long>> ownStarts = ThreadLocal.withInitial(ArrayDeque::new);

    public synchronized boolean isLeader() {
        return leader;
    }

    /** Counts the times this node took leadership since it started; stored with each reading. */
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
        long now = System.currentTimeMillis();
        captureStarts.merge(now, 1, Integer::sum);
        ownStarts.get().push(now);
        return true;
    }

    @Override
    public synchronized void exitCapture() {
        Long started = ownStarts.get().poll();
        if (started != null) {
            captureStarts.computeIfPresent(started, (t, n) -> n > 1 ? n - 1 : null);
        }
        capturing--;
        if (capturing <= 0) {
            capturing = 0;
            notifyAll();
        }
    }

    /**
     * The instant before which everything this node captured has reached its outbox: now when it
     * neither leads nor captures, else when the oldest capture under way began (now without one).
     */
    public synchronized java.time.Instant capturedUpTo() {
        long now = System.currentTimeMillis();
        return java.time.Instant.ofEpochMilli(captureStarts.isEmpty() ? now : Math.min(now, captureStarts.firstKey()));
    }

    /** True while this node may still accept readings: it leads, or a capture begun while it led is under way. */
    public synchronized boolean mayStillCapture() {
        return leader || capturing > 0;
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
