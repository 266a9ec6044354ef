package com.plantbridge.sim.maintainx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Accepted readings in arrival order, indexed by meter for cheap per-meter and last-reading lookups. */
final class ReadingStore {

    private final List<StoredReading> all = new ArrayList<>();
    private final Map<Long, List<StoredReading>> byMeter = new HashMap<>();
    private final Map<Long, StoredReading> history = new HashMap<>();

    /** A reading the meter had before this test or demo began: only its last reading shows it. */
    synchronized void seedHistory(StoredReading reading) {
        history.put(reading.meterId(), reading);
    }

    synchronized void addAll(List<StoredReading> readings) {
        all.addAll(readings);
        for (StoredReading reading : readings) {
            byMeter.computeIfAbsent(reading.meterId(), id -> new ArrayList<>()).add(reading);
        }
    }

    synchronized List<StoredReading> all() {
        return List.copyOf(all);
    }

    synchronized List<StoredReading> forMeter(long meterId) {
        List<StoredReading> readings = byMeter.get(meterId);
        return readings == null ? List.of() : List.copyOf(readings);
    }

    /** The most recently stored reading of a meter (arrival order, not readingDate), or null. */
    synchronized StoredReading last(long meterId) {
        List<StoredReading> readings = byMeter.get(meterId);
        return readings == null || readings.isEmpty() ? history.get(meterId) : readings.get(readings.size() - 1);
    }

    /** The newest {@code max} readings, oldest first, optionally for one meter. */
    synchronized List<StoredReading> tail(Long meterId, int max) {
        List<StoredReading> source = meterId == null ? all : byMeter.getOrDefault(meterId, List.of());
        int from = Math.max(0, source.size() - max);
        return List.copyOf(source.subList(from, source.size()));
    }

    synchronized int size() {
        return all.size();
    }

    /** Removes and returns the readings stored so far, oldest first (meters' seeded history stays). */
    synchronized List<StoredReading> takeAll() {
        List<StoredReading> taken = new ArrayList<>(all);
        all.clear();
        byMeter.clear();
        return taken;
    }

    synchronized void clear() {
        all.clear();
        byMeter.clear();
    }
}
