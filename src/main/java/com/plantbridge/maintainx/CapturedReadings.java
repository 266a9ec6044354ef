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

    /** Readings accepted within this window are told to a new leader; older ones are at MaintainX by now. */
    public static final Duration RECENT = Duration.ofMinutes(10);

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

    /**
     * MaintainX's last readings (or what the outbox holds) merged with what this node and the peer's
     * node captured lately: per meter, the later one. This node's own captures count because a tag
     * route that starts again (a settings change, a reconnect) reports current values this node may
     * have delivered already, while MaintainX cannot be asked.
     */
    public Map<Long, LastReading> withCaptured(String connector, Map<Long, LastReading> held) {
        Map<Long, LastReading> merged = new HashMap<>(held);
        long since = System.currentTimeMillis() - RECENT.toMillis();
        accepted.getOrDefault(connector, Map.of()).forEach((meter, entry) -> {
            if (entry.atMillis() >= since) {
                merged.merge(meter, entry.reading(), CapturedReadings::later);
            }
        });
        fromPeer.getOrDefault(connector, Map.of()).forEach((meter, reading) -> merged.merge(meter, reading, CapturedReadings::later));
        return merged;
    }

    private static LastReading later(LastReading a, LastReading b) {
        return b.readingDate().isAfter(a.readingDate()) ? b : a;
    }
}
