package com.plantbridge.peer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.OncePerInterval;

/**
 * Inbound peer requests that were refused (unsigned, stale, forged, replayed): counted for status
 * and logged at most once a minute. They change nothing else: one unsigned request used to put
 * the node in a redundancy error state for 60 s, which on the Backup's node blocked failover.
 */
public final class InboundRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(InboundRefusals.class);

    private final Map<PeerSignature.Verdict, Long> counts = new EnumMap<>(PeerSignature.Verdict.class);
    private final OncePerInterval logLimit;
    private final Clock clock;
    private Instant lastAt;
    private String lastFrom;

    public InboundRefusals(Clock clock) {
        this.clock = clock;
        this.logLimit = new OncePerInterval(Duration.ofMinutes(1), clock);
    }

    public void refused(PeerSignature.Verdict verdict, String path, String from) {
        synchronized (this) {
            counts.merge(verdict, 1L, Long::sum);
            lastAt = clock.instant();
            lastFrom = from;
        }
        long unlogged = logLimit.event();
        if (unlogged >= 0) {
            LOG.warn("Peer link: refused a request to {} from {} ({}); it changed nothing{} (counts in /api/status; at most one line a minute)",
                    path, from, describe(verdict), unlogged == 0 ? "" : "; " + unlogged + " more refused since the last line");
        }
    }

    public synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("total", total());
        for (PeerSignature.Verdict v : PeerSignature.Verdict.values()) {
            if (v != PeerSignature.Verdict.ACCEPTED) {
                s.put(v.name().toLowerCase(), counts.getOrDefault(v, 0L));
            }
        }
        s.put("lastAt", lastAt == null ? null : lastAt.toString());
        s.put("lastFrom", lastFrom);
        return s;
    }

    static String describe(PeerSignature.Verdict verdict) {
        return switch (verdict) {
            case UNSIGNED -> "unsigned";
            case STALE -> "stale (timestamp outside the allowed clock skew)";
            case FORGED -> "wrongly signed";
            case REPLAYED -> "replayed";
            case ACCEPTED -> "accepted";
        };
    }
}
