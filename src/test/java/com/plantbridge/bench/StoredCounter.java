package com.plantbridge.bench;

import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;

/** Readings the fake stored (201 answers), counted across {@link #reset()}s of the fake. */
final class StoredCounter {

    private final MaintainxSandbox fake;
    private long base;

    StoredCounter(MaintainxSandbox fake) {
        this.fake = fake;
    }

    synchronized long stored() {
        long sum = base;
        for (RequestRecord record : fake.requests()) {
            if (record.status() == 201) {
                sum += record.readingCount();
            }
        }
        return sum;
    }

    /** Frees the fake's memory (readings, request log) without losing the count. */
    synchronized void reset() {
        base = stored();
        fake.reset();
    }
}
