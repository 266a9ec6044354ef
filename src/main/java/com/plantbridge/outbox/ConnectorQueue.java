package com.plantbridge.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One connector's line of accepted readings that wait for MaintainX, in accept order, in memory:
 * cutting a batch reads no database (the H2 log is read back only at start). A reading taken for
 * a POST leaves the line and counts as taken until it is delivered or quarantined; if it was not
 * delivered it goes back to the head, so the order is kept. One sender at a time works a line
 * ({@link #claim()}): a sender replaced by a settings change finishes its request before the next
 * one starts.
 */
public final class ConnectorQueue {

    private final String connector;
    private final LongSupplier clockMillis;
    private final ArrayDeque<OutboxReading> line = new ArrayDeque<>();
    private final Semaphore sender = new Semaphore(1);
    /** Out of the line, not done: taken for a POST, or in flight at the last stop. */
    private final Map<Long, OutboxReading> taken = new java.util.LinkedHashMap<>();
    /** When the line last went from holding nothing to holding something, for the watchdog. */
    private long busySince = -1;

    ConnectorQueue(String connector, LongSupplier clockMillis) {
        this.connector = connector;
        this.clockMillis = clockMillis;
    }

    public String connector() {
        return connector;
    }

    /** Waits until no other sender works this line, then owns it until {@link #unclaim()}. */
    public void claim() throws InterruptedException {
        sender.acquire();
    }

    public void unclaim() {
        sender.release();
    }

    synchronized void add(List<OutboxReading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        markBusy();
        line.addAll(readings);
        notifyAll();
    }

    /** Readings taken elsewhere (a batch in flight at the last stop) that go back to the head. */
    synchronized void addFirst(List<OutboxReading> readings) {
        markBusy();
        for (int i = readings.size() - 1; i >= 0; i--) {
            line.addFirst(readings.get(i));
        }
        notifyAll();
    }

    /** Readings held outside the line (in flight at the last stop) count as taken. */
    synchronized void holdTaken(List<OutboxReading> readings) {
        if (!readings.isEmpty()) {
            markBusy();
        }
        readings.forEach(r -> taken.put(r.seq(), r));
    }

    private void markBusy() {
        if (line.isEmpty() && taken.isEmpty()) {
            busySince = clockMillis.getAsLong();
        }
    }

    /**
     * The oldest readings, up to {@code max}, leave the line for a POST. An asset status change goes
     * alone (it has a request of its own), and a cut of readings ends before the next one.
     */
    public synchronized List<OutboxReading> take(int max) {
        int n = Math.min(max, line.size());
        List<OutboxReading> batch = new ArrayList<>(n);
        boolean statusFirst = !line.isEmpty() && line.peekFirst().reading().isAssetStatus();
        while (batch.size() < n) {
            OutboxReading r = line.peekFirst();
            if (!batch.isEmpty() && (statusFirst || r.reading().isAssetStatus())) {
                break;
            }
            line.pollFirst();
            batch.add(r);
            taken.put(r.seq(), r);
        }
        return batch;
    }

    /** Takes out every waiting reading of the given tags, in order (readings that waited for their meter). */
    synchronized List<OutboxReading> removeTags(java.util.Set<String> tagPaths) {
        List<OutboxReading> removed = new ArrayList<>();
        line.removeIf(r -> {
            boolean match = tagPaths.contains(r.reading().tagPath());
            if (match) {
                removed.add(r);
            }
            return match;
        });
        return removed;
    }

    /** Takes out the waiting readings with these seqs (another node delivered the same readings). */
    synchronized List<OutboxReading> removeSeqs(java.util.Set<Long> seqs) {
        List<OutboxReading> removed = new ArrayList<>();
        line.removeIf(r -> {
            boolean match = seqs.contains(r.seq());
            if (match) {
                removed.add(r);
            }
            return match;
        });
        return removed;
    }

    /** The tags with waiting readings. */
    public synchronized java.util.Set<String> tagPaths() {
        java.util.Set<String> paths = new java.util.TreeSet<>();
        line.forEach(r -> paths.add(r.reading().tagPath()));
        return paths;
    }

    /** Taken readings that were not delivered return to the head, in their order. */
    public synchronized void putBack(List<OutboxReading> readings) {
        readings.forEach(r -> taken.remove(r.seq()));
        addFirst(readings);
    }

    /** Taken readings that are done (delivered or quarantined). */
    synchronized void finished(List<OutboxReading> readings) {
        readings.forEach(r -> taken.remove(r.seq()));
    }

    /**
     * The newest reading (by reading date) of each meter, and status change of each asset, that this
     * line holds, waiting or taken, by {@code referenceKey}: values on their way to MaintainX that a
     * new subscription's current values must meet.
     */
    public synchronized Map<Long, OutboxReading> newestPerMeter() {
        Map<Long, OutboxReading> newest = new HashMap<>();
        // Of two readings in the same millisecond, the later in line is the one MaintainX will hold last.
        java.util.function.Consumer<OutboxReading> keep = r -> newest.merge(r.reading().referenceKey(), r,
                (a, b) -> b.reading().readingDate().isAfter(a.reading().readingDate())
                        || (b.reading().readingDate().equals(a.reading().readingDate()) && b.seq() > a.seq()) ? b : a);
        line.forEach(keep);
        taken.values().forEach(keep);
        return newest;
    }

    /**
     * Milliseconds until a batch is due: 0 when {@code batchSize} readings wait, or the oldest has
     * waited {@code delayMillis}, or the line is being drained; -1 when nothing waits.
     */
    public synchronized long dueInMillis(int batchSize, long delayMillis, boolean draining) {
        if (line.isEmpty()) {
            return -1;
        }
        if (line.size() >= batchSize || draining) {
            return 0;
        }
        return Math.max(0, line.peekFirst().capturedAtMillis() + delayMillis - clockMillis.getAsLong());
    }

    /**
     * Waits until a batch is due; false when draining with nothing left. Readings read back at
     * start or put back are due at once, as their capture time is older than the delay.
     */
    public synchronized boolean awaitDue(int batchSize, long delayMillis, BooleanSupplier draining) throws InterruptedException {
        while (true) {
            boolean drain = draining.getAsBoolean();
            long due = dueInMillis(batchSize, delayMillis, drain);
            if (due == 0) {
                return true;
            }
            if (due < 0 && drain) {
                return false;
            }
            wait(due < 0 ? 200 : Math.max(1, due));
        }
    }

    /** Wakes a waiting sender (draining started). */
    public synchronized void wake() {
        notifyAll();
    }

    public synchronized int size() {
        return line.size();
    }

    public synchronized int taken() {
        return taken.size();
    }

    public synchronized Long oldestCapturedAtMillis() {
        return line.isEmpty() ? null : line.peekFirst().capturedAtMillis();
    }

    /** Capture time (ms) of the oldest reading not yet at MaintainX, waiting in line or taken for a POST; null when none. */
    public synchronized Long oldestWaitingCapturedAtMillis() {
        Long oldest = oldestCapturedAtMillis();
        for (OutboxReading r : taken.values()) {
            if (oldest == null || r.capturedAtMillis() < oldest) {
                oldest = r.capturedAtMillis();
            }
            break;   // taken in line order: the first is the oldest
        }
        return oldest;
    }

    /** Since when (ms) the line holds something, taken or waiting; -1 when it holds nothing. */
    public synchronized long busySinceMillis() {
        return line.isEmpty() && taken.isEmpty() ? -1 : busySince;
    }

    /** The first {@code max} waiting readings, left in line. */
    public synchronized List<OutboxReading> peek(int max) {
        List<OutboxReading> first = new ArrayList<>(Math.min(max, line.size()));
        Iterator<OutboxReading> it = line.iterator();
        while (it.hasNext() && first.size() < max) {
            first.add(it.next());
        }
        return first;
    }

    /**
     * Keeps only the latest waiting reading per tag and minute of reading date (the outbox's
     * bound); returns the readings removed. Taken readings are not touched.
     */
    synchronized List<OutboxReading> conflatePerMinute() {
        Map<String, Long> latest = new HashMap<>();
        for (OutboxReading r : line) {
            latest.merge(minuteKey(r), r.seq(), Math::max);
        }
        List<OutboxReading> removed = new ArrayList<>();
        line.removeIf(r -> {
            boolean merged = latest.get(minuteKey(r)) != r.seq();
            if (merged) {
                removed.add(r);
            }
            return merged;
        });
        return removed;
    }

    private static String minuteKey(OutboxReading r) {
        return r.reading().tagPath() + '\u0000' + Math.floorDiv(r.reading().readingDate().toEpochMilli(), 60_000L);
    }

    /** Removes the waiting readings up to {@code lastSeq} from the head; returns them. */
    synchronized List<OutboxReading> dropThrough(long lastSeq) {
        List<OutboxReading> dropped = new ArrayList<>();
        while (!line.isEmpty() && line.peekFirst().seq() <= lastSeq) {
            dropped.add(line.pollFirst());
        }
        return dropped;
    }

    /** The seqs waiting now, in order (the bound's merge of all lines). */
    synchronized long[] waitingSeqs() {
        long[] seqs = new long[line.size()];
        int i = 0;
        for (OutboxReading r : line) {
            seqs[i++] = r.seq();
        }
        return seqs;
    }
}
