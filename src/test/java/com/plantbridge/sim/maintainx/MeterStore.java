package com.plantbridge.sim.maintainx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Meters by global id; ordered so cursor pagination is stable. */
final class MeterStore {

    private final TreeMap<Long, Meter> meters = new TreeMap<>();

    synchronized Meter put(long id, String name, String unit, Long organizationId, Instant now) {
        Meter meter = new Meter(id, UUID.randomUUID().toString(), name, null, unit, Meter.AUTOMATED_SENSOR,
                null, null, organizationId, now);
        meters.put(id, meter);
        return meter;
    }

    synchronized Meter create(String name, String description, String unit, String measurementType,
                              Long assetId, Long locationId, long organizationId, Instant now) {
        long id = meters.isEmpty() ? 1 : meters.lastKey() + 1;
        Meter meter = new Meter(id, UUID.randomUUID().toString(), name, description, unit, measurementType,
                assetId, locationId, organizationId, now);
        meters.put(id, meter);
        return meter;
    }

    synchronized boolean exists(long id) {
        return meters.containsKey(id);
    }

    synchronized Optional<Meter> find(long id, long organizationId) {
        Meter meter = meters.get(id);
        return meter != null && meter.visibleTo(organizationId) ? Optional.of(meter) : Optional.empty();
    }

    synchronized Optional<Meter> find(long id) {
        return Optional.ofNullable(meters.get(id));
    }

    /** Up to {@code max} meters visible to the organisation with an id greater than {@code afterId} (of one measurement type unless null). */
    synchronized List<Meter> after(long afterId, long organizationId, int max, String measurementType) {
        List<Meter> page = new ArrayList<>(Math.min(max, 256));
        for (Meter meter : meters.tailMap(afterId, false).values()) {
            if (page.size() == max) {
                break;
            }
            if (meter.visibleTo(organizationId) && (measurementType == null || measurementType.equals(meter.measurementType()))) {
                page.add(meter);
            }
        }
        return page;
    }

    synchronized List<Meter> all() {
        return new ArrayList<>(meters.values());
    }

    synchronized int size() {
        return meters.size();
    }
}
