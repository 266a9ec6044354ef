package com.plantbridge.reading;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** readingDate text: UTC, milliseconds always with three digits, sub-milliseconds cut. */
class ReadingDatesTest {

    @Test
    void millisecondsHaveThreeDigitsAndFinerPartsAreCut() {
        assertThat(ReadingDates.format(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(ReadingDates.format(Instant.parse("2026-01-01T00:00:00.007999Z"))).isEqualTo("2026-01-01T00:00:00.007Z");
        assertThat(ReadingDates.format(Instant.parse("2026-01-01T00:00:00.05Z"))).isEqualTo("2026-01-01T00:00:00.050Z");
        assertThat(ReadingDates.format(Instant.parse("2026-12-31T23:59:59.999Z"))).isEqualTo("2026-12-31T23:59:59.999Z");
    }

    @Test
    void theSameAsTheIsoFormatterForAnyInstantInAnyOrder() {
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochMilli(1_700_000_000_000L + (long) (random.nextDouble() * 200_000_000_000L)).plusNanos(random.nextInt(1_000_000));
            assertThat(ReadingDates.format(instant)).isEqualTo(iso.format(instant.truncatedTo(ChronoUnit.MILLIS)));
        }
    }
}
