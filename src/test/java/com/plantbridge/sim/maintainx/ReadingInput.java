package com.plantbridge.sim.maintainx;

import java.time.Instant;

/**
 * One syntactically valid element of a {@code POST /v1/meterreadings} body, as seen by
 * {@link MaintainxSandbox#rejectWhen} predicates.
 *
 * @param meterId     the meter the reading targets
 * @param value       the reading value
 * @param readingDate the client-supplied reading date, or {@code null} when absent
 */
public record ReadingInput(long meterId, double value, Instant readingDate) {
}
