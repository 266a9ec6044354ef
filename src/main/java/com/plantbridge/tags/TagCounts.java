package com.plantbridge.tags;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A connector's tag values received and readings passed by its filter, for the node's life: a
 * filter's own counts start again when the connector's settings change, metrics must not.
 */
public final class TagCounts {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong passedFilter = new AtomicLong();

    void countReceived() {
        received.incrementAndGet();
    }

    void countPassedFilter() {
        passedFilter.incrementAndGet();
    }

    public long received() {
        return received.get();
    }

    public long passedFilter() {
        return passedFilter.get();
    }
}
