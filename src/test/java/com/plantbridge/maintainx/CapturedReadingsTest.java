package com.plantbridge.maintainx;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.plantbridge.maintainx.MaintainxClient.LastReading;

import static org.assertj.core.api.Assertions.assertThat;

/** What a tag's current value is compared with besides MaintainX's last reading. */
class CapturedReadingsTest {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void thisNodesOwnLatestCaptureCountsWhenMaintainxHoldsSomethingOlderOrNothing() {
        CapturedReadings captured = new CapturedReadings();
        captured.record("line-1", List.of(new MeterReading("line-1", "[default]A", 11, 5.0, T.plusSeconds(10)),
                new MeterReading("line-1", "[default]B", 12, 7.0, T.plusSeconds(10))));

        Map<Long, LastReading> merged = captured.withCaptured("line-1", Map.of(11L, new LastReading(4.0, T)));

        assertThat(merged).containsEntry(11L, new LastReading(5.0, T.plusSeconds(10))).containsEntry(12L, new LastReading(7.0, T.plusSeconds(10)));
        assertThat(captured.withCaptured("line-2", Map.of())).as("another connector's captures do not count").isEmpty();
    }

    @Test
    void theLaterOfMaintainxTheNodeAndThePeerWins() {
        CapturedReadings captured = new CapturedReadings();
        captured.record("line-1", List.of(new MeterReading("line-1", "[default]A", 11, 5.0, T.plusSeconds(10))));
        captured.takeOverFrom(Map.of("line-1", Map.of(11L, new LastReading(6.0, T.plusSeconds(20)))));

        assertThat(captured.withCaptured("line-1", Map.of(11L, new LastReading(4.0, T)))).containsEntry(11L, new LastReading(6.0, T.plusSeconds(20)));
        assertThat(captured.withCaptured("line-1", Map.of(11L, new LastReading(9.0, T.plusSeconds(30))))).containsEntry(11L, new LastReading(9.0, T.plusSeconds(30)));
    }
}
