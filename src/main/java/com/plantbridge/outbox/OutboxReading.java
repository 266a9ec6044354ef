package com.plantbridge.outbox;

import com.plantbridge.reading.MeterReading;

/**
 * A reading as the outbox holds it: its place in line ({@code seq}, unique on the node and
 * increasing in accept order), the leadership term it was captured in, and when it was accepted.
 */
public record OutboxReading(long seq, MeterReading reading, long term, long capturedAtMillis) {
}
