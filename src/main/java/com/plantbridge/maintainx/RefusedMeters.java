package com.plantbridge.maintainx;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters MaintainX refused (404, or a 400 naming the meter) for one connector. Their readings
 * go straight to quarantine instead of making every batch that holds one be split again, which
 * spent the request budget. Forgotten when the connector's settings change (a new sender) or its
 * quarantine is replayed.
 */
public final class RefusedMeters {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedMeters.class);

    /** A refused meter, the tag that feeds it, why and since when. */
    public record RefusedMeter(long meterId, String tag, String reason, Instant since) {
    }

    private final String connector;
    private final Map<Long, RefusedMeter> meters = new ConcurrentHashMap<>();

    public RefusedMeters(String connector) {
        this.connector = connector;
    }

    public void remember(long meterId, String tag, String reason) {
        RefusedMeter refused = new RefusedMeter(meterId, tag, reason, Instant.now());
        if (meters.putIfAbsent(meterId, refused) == null) {
            LOG.warn("Connector {}: MaintainX refuses meter {} (tag {}): {}; its readings go to quarantine until the connector's settings change or its quarantine is replayed",
                    connector, meterId, tag, reason);
        }
    }

    public Optional<RefusedMeter> find(long meterId) {
        return Optional.ofNullable(meters.get(meterId));
    }

    public List<RefusedMeter> all() {
        return meters.values().stream().sorted(java.util.Comparator.comparingLong(RefusedMeter::meterId)).toList();
    }

    public void clear() {
        if (!meters.isEmpty()) {
            LOG.info("Connector {}: refused meters {} forgotten; their readings are sent again", connector, meters.keySet());
            meters.clear();
        }
    }
}
