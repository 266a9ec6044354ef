package com.plantbridge.maintainx;

import java.time.Instant;

/** One reading for a MaintainX meter, with the tag it came from for logs and status. */
public record MeterReading(String connector, String tagPath, long meterId, Number value, Instant readingDate) {

    /** The same reading for another connector (a route may send it there); this one when it already is. */
    public MeterReading forConnector(String name) {
        return name.equals(connector) ? this : new MeterReading(name, tagPath, meterId, value, readingDate);
    }

    /** Milliseconds, UTC, always three fraction digits, as MaintainX shows them. */
    public String readingDateText() {
        return ReadingDates.format(readingDate);
    }
}
