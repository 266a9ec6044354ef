package com.plantbridge.maintainx;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a batch whose POST outcome is unknown is at MaintainX, from the meters' last readings. */
class BatchSettlementTest {

    private static final Instant T = Instant.parse("2026-01-01T10:00:00.123456Z");

    private static MeterReading reading(long meter, Number value, Instant date) {
        return new MeterReading("c", "[default]M" + meter, meter, value, date);
    }

    private final List<MeterReading> batch = List.of(reading(1, 900.0, T), reading(2, 7L, T.plusSeconds(1)), reading(1, 901.0, T.plusSeconds(2)));

    @Test
    void aMetersLastReadingThatIsOneOfTheBatchsReadingsMeansTheBatchIsThere() {
        assertThat(BatchSettlement.isAtMaintainx(batch, Map.of(2L, new LastReading(7, T.plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))))).isTrue();
        assertThat(BatchSettlement.isAtMaintainx(batch, Map.of(1L, new LastReading(901, Instant.parse("2026-01-01T10:00:02.123Z"))))).isTrue();
        assertThat(BatchSettlement.isAtMaintainx(batch, Map.of(1L, new LastReading(900, Instant.parse("2026-01-01T10:00:00.123Z"))))).isTrue();
    }

    @Test
    void aLaterReadingOfTheSameMetersIsNoEvidence() {
        Map<Long, LastReading> later = Map.of(
                1L, new LastReading(905, T.plusSeconds(60)),
                2L, new LastReading(8, T.plusSeconds(60)));

        assertThat(BatchSettlement.isAtMaintainx(batch, later)).isFalse();
    }

    @Test
    void anOlderReadingOrNoneMeansTheBatchIsNotThere() {
        assertThat(BatchSettlement.isAtMaintainx(batch, Map.of(1L, new LastReading(899, T.minusSeconds(1))))).isFalse();
        assertThat(BatchSettlement.isAtMaintainx(batch, Map.of())).isFalse();
    }

    @Test
    void theSameDateWithAnotherValueOrTheSameValueAtAnotherMillisecondIsNotTheBatchsReading() {
        assertThat(BatchSettlement.isAtMaintainx(batch, Map.of(1L, new LastReading(900.5, Instant.parse("2026-01-01T10:00:00.123Z"))))).isFalse();
        assertThat(BatchSettlement.isAtMaintainx(batch, Map.of(1L, new LastReading(900, Instant.parse("2026-01-01T10:00:00.124Z"))))).isFalse();
    }

    @Test
    void aReadingOfAnotherMeterWithTheBatchsValueAndDateIsNoEvidence() {
        assertThat(BatchSettlement.isAtMaintainx(List.of(reading(1, 900.0, T)), Map.of(3L, new LastReading(900, Instant.parse("2026-01-01T10:00:00.123Z"))))).isFalse();
    }
}
