package com.plantbridge.reading;

import java.time.Instant;

/** A meter's last reading as MaintainX holds it. */
public record LastReading(double value, Instant readingDate) {
}
