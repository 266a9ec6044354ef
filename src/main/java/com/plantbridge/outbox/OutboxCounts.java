package com.plantbridge.outbox;

import java.time.Instant;

/** What one connector's outbox holds now. */
public record OutboxCounts(long pending, long inFlight, long quarantined, Instant oldestPendingCapturedAt) {
}
