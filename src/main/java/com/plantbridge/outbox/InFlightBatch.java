package com.plantbridge.outbox;

import java.util.List;

/**
 * Readings marked in flight before a POST: those of {@code connector} with a seq in
 * ({@code afterSeq}, {@code lastSeq}]. Until the answer is known they may or may not be at MaintainX.
 */
public record InFlightBatch(long batchId, String connector, long afterSeq, long lastSeq, List<OutboxReading> readings) {

    public InFlightBatch {
        readings = List.copyOf(readings);
    }

    public int size() {
        return readings.size();
    }
}
