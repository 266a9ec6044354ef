package com.plantbridge.sim.maintainx;

import java.util.ArrayList;
import java.util.List;

/** Every {@code /v1} request in arrival order, plus the 429 tally tests assert on. */
final class RequestLog {

    private final List<RequestRecord> records = new ArrayList<>();
    private int tooManyRequests;

    synchronized void add(RequestRecord record) {
        records.add(record);
        if (record.status() == 429) {
            tooManyRequests++;
        }
    }

    synchronized List<RequestRecord> all() {
        return List.copyOf(records);
    }

    synchronized int tooManyRequests() {
        return tooManyRequests;
    }

    synchronized void clear() {
        records.clear();
        tooManyRequests = 0;
    }
}
