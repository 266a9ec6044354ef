package com.plantbridge.maintainx;

import java.time.Instant;

/** One reading for a MaintainX meter, with the tag it came from for logs and status. */
public record MeterReading(String connector, String tagPath, long meterId, Number value, Instant readingDate) {

    /** Milliseconds, UTC, always three fraction digits, as MaintainX shows them. */
    public String readingDateText() {
        return ReadingDates.format(readingDate);
    }
}
