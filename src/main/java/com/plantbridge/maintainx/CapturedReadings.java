package com.plantbridge.maintainx;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.plantbridge.maintainx.MaintainxClient.LastReading;

/**
 * The last reading of each meter (and status of each asset, by {@link MeterReading#referenceKey()})
 * this node accepted, per connector: what it will deliver even if it
 * stops leading now. A node handing leadership over tells the new leader, whose tags' current values
 * are then compared with these as well as with MaintainX's last readings: MaintainX may not have
 * the old leader's last batch yet, and a value still on its way must not look new.
 */
public final class CapturedReadings {

    private record Accepted(LastReading reading, long atMillis) {
    }

    private final Map<String, Map<Long, Accepted>> accepted = new ConcurrentHashMap<>();
    private volatile Map<String, Map<Long, LastReading>> fromPeer = Map.of();

    void record(String connector, List<MeterReading> readings) {
        Map<Long, Accepted> meters = accepted.computeIfAbsent(connector, c -> new ConcurrentHashMap<>());
        long now = System.currentTimeMillis();
        for (MeterReading reading : readings) {
            meters.put(reading.referenceKey(), new Accepted(new LastReading(reading.value().doubleValue(), reading.readingDate()), now));
        }
    }

    /** What this node accepted within {@code recent}: older readings are at MaintainX by now, or in its outbox for a reason status shows. */
    public Map<String, Map<Long, LastReading>> snapshot(Duration recent) {
        long since = System.currentTimeMillis() - recent.toMillis();
        Map<String, Map<Long, LastReading>> copy = new HashMap<>();
        accepted.forEach((connector, meters) -> {
            Map<Long, LastReading> fresh = new HashMap<>();
            meters.forEach((meter, entry) -> {
                if (entry.atMillis() >= since) {
                    fresh.put(meter, entry.reading());
                }
            });
            if (!fresh.isEmpty()) {
                copy.put(connector, fresh);
            }
        });
        return copy;
    }

    /** What the peer's node had captured when it handed leadership to this node. */
    public void takeOverFrom(Map<String, Map<Long, LastReading>> peer) {
        fromPeer = peer == null ? Map.of() : Map.copyOf(peer);
    }

    /** MaintainX's last readings merged with the peer's captured ones: per meter, the later one. */
    public Map<Long, LastReading> withPeerCaptured(String connector, Map<Long, LastReading> held) {
        Map<Long, LastReading> peer = fromPeer.getOrDefault(connector, Map.of());
        if (peer.isEmpty()) {
            return held;
        }
        Map<Long, LastReading> merged = new HashMap<>(held);
        peer.forEach((meter, reading) -> merged.merge(meter, reading,
                (maintainx, captured) -> captured.readingDate().isAfter(maintainx.readingDate()) ? captured : maintainx));
        return merged;
    }
}
