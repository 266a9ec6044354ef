package com.plantbridge.tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.plantbridge.reading.MeterReading;

/**
 * Readings a connector's route failed to take (a step threw), kept in order to be offered again.
 * They are not in the outbox yet, so the bound keeps memory finite: past it, each tag keeps its
 * latest reading, the one a meter cannot do without.
 */
final class RouteBacklog {

    private final int bound;
    private final List<MeterReading> readings = new ArrayList<>();
    private long conflated;

    RouteBacklog(int bound) {
        this.bound = bound;
    }

    synchronized boolean isEmpty() {
        return readings.isEmpty();
    }

    synchronized int size() {
        return readings.size();
    }

    synchronized long conflated() {
        return conflated;
    }

    /** Adds at the end; returns how many older readings were merged away to stay within the bound. */
    synchronized int addAll(List<MeterReading> more) {
        readings.addAll(more);
        if (readings.size() <= bound) {
            return 0;
        }
        Map<String, MeterReading> latest = new LinkedHashMap<>();
        for (MeterReading reading : readings) {
            latest.remove(reading.tagPath());
            latest.put(reading.tagPath(), reading);
        }
        int merged = readings.size() - latest.size();
        readings.clear();
        readings.addAll(latest.values());
        conflated += merged;
        return merged;
    }

    /** Takes everything, oldest first; what fails again is put back with {@link #putBack}. */
    synchronized List<MeterReading> takeAll() {
        List<MeterReading> all = new ArrayList<>(readings);
        readings.clear();
        return all;
    }

    /** Back in front of anything added since they were taken. */
    synchronized void putBack(List<MeterReading> taken) {
        readings.addAll(0, taken);
    }
}
