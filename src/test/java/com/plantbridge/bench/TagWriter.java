package com.plantbridge.bench;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.milo.opcua.stack.core.StatusCodes;

import com.plantbridge.sim.gateway.SimulatedGateway;

/**
 * One thread writing new values round-robin over a set of tags, on one or several gateways (a pair sees
 * the same process values), with source time now. Paced at {@code ratePerSecond}, or as fast as it can
 * when the rate is 0. Every value is new, so every write is a change.
 */
final class TagWriter implements AutoCloseable {

    private static final Field CHANGES;

    static {
        try {
            CHANGES = SimulatedGateway.class.getDeclaredField("changes");
            CHANGES.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<SimulatedGateway> gateways;
    private final List<String> paths;
    private final double ratePerSecond;
    private final AtomicLong written = new AtomicLong();
    private final List<List<?>> changeLogs = new ArrayList<>();
    private volatile boolean running = true;
    private final Thread thread;
    private final java.util.function.LongSupplier stored;
    private final long maxOutstanding;
    private static final AtomicLong VALUE = new AtomicLong(1);

    TagWriter(List<SimulatedGateway> gateways, List<String> paths, double ratePerSecond) {
        this(gateways, paths, ratePerSecond, null, 0);
    }

    /**
     * Closed loop: as fast as it can, but never more than {@code maxOutstanding} changes ahead of what the
     * fake has stored, so the load is the pipeline's capacity and no queue (server items, node) overflows.
     */
    TagWriter(List<SimulatedGateway> gateways, List<String> paths, java.util.function.LongSupplier stored, long maxOutstanding) {
        this(gateways, paths, 0, stored, maxOutstanding);
    }

    private TagWriter(List<SimulatedGateway> gateways, List<String> paths, double ratePerSecond,
                      java.util.function.LongSupplier stored, long maxOutstanding) {
        this.stored = stored;
        this.maxOutstanding = maxOutstanding;
        this.gateways = gateways;
        this.paths = paths;
        this.ratePerSecond = ratePerSecond;
        for (SimulatedGateway gateway : gateways) {
            changeLogs.add(changeLog(gateway));
        }
        thread = new Thread(this::run, "bench-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * SimulatedGateway records every write in a CopyOnWriteArrayList (for the tests' exactly-once checks): each
     * write copies the whole list, O(n) per write, which would make the writer itself the bottleneck after a
     * few thousand writes. The benchmark does not need that record, so it is emptied as it goes.
     */
    static List<?> changeLog(SimulatedGateway gateway) {
        try {
            return (List<?>) CHANGES.get(gateway);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    long written() {
        return written.get();
    }

    private void run() {
        long start = System.nanoTime();
        int index = 0;
        long count = 0;
        long storedAtStart = stored == null ? 0 : stored.getAsLong();
        while (running) {
            if (stored != null && (count & 255) == 0) {
                while (running && count - (stored.getAsLong() - storedAtStart) > maxOutstanding) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (ratePerSecond > 0) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * ratePerSecond);
                if (count >= due) {
                    long nextDue = start + (long) ((count + 1) / ratePerSecond * 1e9);
                    long sleepNanos = nextDue - System.nanoTime();
                    if (sleepNanos > 200_000) {
                        try {
                            Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    continue;
                }
            }
            String path = paths.get(index);
            index = index + 1 == paths.size() ? 0 : index + 1;
            double value = VALUE.getAndIncrement();
            Instant now = Instant.now();
            for (SimulatedGateway gateway : gateways) {
                gateway.writeTag(path, value, StatusCodes.Good, now);
            }
            count++;
            written.lazySet(count);
            if ((count & 511) == 0) {
                changeLogs.forEach(List::clear);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        changeLogs.forEach(List::clear);
    }
}
