package com.plantbridge.reading;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 UTC with milliseconds, the form MaintainX documents for readingDate. The readings of a
 * batch mostly share their second, and DateTimeFormatter cost a microsecond per reading on the
 * sender thread (measured), so the text up to the second is kept for the last second seen.
 */
public final class ReadingDates {

    private static final DateTimeFormatter UP_TO_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

    private record Second(long epochSecond, String text) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private ReadingDates() {
    }

    public static String format(Instant instant) {
        long second = instant.getEpochSecond();
        Second cached = last;
        if (cached.epochSecond() != second) {
            cached = new Second(second, UP_TO_SECOND.format(Instant.ofEpochSecond(second)));
            last = cached;
        }
        int millis = instant.getNano() / 1_000_000;
        StringBuilder text = new StringBuilder(24).append(cached.text());
        if (millis < 100) {
            text.append('0');
        }
        if (millis < 10) {
            text.append('0');
        }
        return text.append(millis).append('Z').toString();
    }
}
