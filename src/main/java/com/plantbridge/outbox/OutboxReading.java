package com.plantbridge.outbox;

import com.plantbridge.maintainx.MeterReading;

/** A reading as the outbox holds it: its position, and the leadership term it was captured in. */
public record OutboxReading(long id, MeterReading reading, long term, long capturedAtMillis) {
}
