package com.plantbridge.outbox;

import java.time.Instant;

/**
 * What one connector's outbox holds now.
 *
 * @param awaitingMeter readings of tags whose meter is still being found or created
 */
public record OutboxCounts(long pending, long inFlight, long quarantined, Instant oldestPendingCapturedAt, long awaitingMeter) {
}
