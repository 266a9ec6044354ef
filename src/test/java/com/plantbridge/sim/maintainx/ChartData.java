package com.plantbridge.sim.maintainx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The document the sandbox page polls ({@code GET /sandbox/charts}) and draws: per meter its newest readings in
 * readingDate order, each marked by the node that sent it, so a failover shows as a change of marker.
 *
 * @param nodes           every sender seen since the last reset, in order of first reading, so each keeps its
 *                        colour while the demo runs
 * @param meters          meters with at least one reading, by id
 * @param readingsStored  all readings stored
 * @param tooManyRequests requests answered 429
 * @param controls        the page's buttons; none when nobody registered one
 * @param status          what the runner reports beside the buttons, e.g. each gateway's redundancy state
 */
record ChartData(List<String> nodes, List<Series> meters, int readingsStored, int tooManyRequests,
                 List<SandboxControls.Button> controls, Map<String, String> status) {

    /** @param readings the newest readings of the meter (by readingDate), oldest first */
    record Series(long meterId, String name, List<Point> readings) {
    }

    /**
     * @param readingDate the reading's date, or its creation time when the client sent none, so that every
     *                    reading has a place on the time axis
     */
    record Point(String readingDate, Number value, String node) {
    }

    static ChartData of(List<StoredReading> stored, int perMeter, MeterStore meters, int tooManyRequests,
                        SandboxControls controls) {
        LinkedHashSet<String> nodes = new LinkedHashSet<>();
        TreeMap<Long, List<StoredReading>> byMeter = new TreeMap<>();
        for (StoredReading reading : stored) {
            nodes.add(reading.sender());
            byMeter.computeIfAbsent(reading.meterId(), id -> new ArrayList<>()).add(reading);
        }
        List<Series> series = new ArrayList<>(byMeter.size());
        byMeter.forEach((meterId, readings) -> {
            String name = meters.find(meterId).map(Meter::name).orElse("");
            series.add(new Series(meterId, name, newest(readings, perMeter)));
        });
        return new ChartData(List.copyOf(nodes), series, stored.size(), tooManyRequests, controls.buttons(),
                controls.status());
    }

    /** Sorts {@code readings}, a list of the caller's own, in place. */
    private static List<Point> newest(List<StoredReading> readings, int max) {
        // Arrival order is not time order: a node taking over may send values dated before the last one stored.
        readings.sort(Comparator.comparing(ChartData::date));
        List<Point> points = new ArrayList<>(Math.min(max, readings.size()));
        for (StoredReading reading : readings.subList(Math.max(0, readings.size() - max), readings.size())) {
            points.add(new Point(Json.instant(date(reading)), Json.number(reading.value()), reading.sender()));
        }
        return points;
    }

    private static Instant date(StoredReading reading) {
        return reading.readingDate() != null ? reading.readingDate() : reading.createdAt();
    }
}
