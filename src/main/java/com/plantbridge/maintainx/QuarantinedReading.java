package com.plantbridge.maintainx;

import java.time.Instant;

/** A reading MaintainX refused for good, kept aside with its reason instead of being dropped. */
public record QuarantinedReading(MeterReading reading, String reason, Instant at) {
}
