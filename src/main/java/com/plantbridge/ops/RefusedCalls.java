package com.plantbridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.OncePerInterval;

/**
 * Calls the admin port refused before any route ran, counted per reason (status
 * {@code security.refusedCalls}, metric {@code bridge_admin_refused_calls_total}) and logged at
 * most once a minute: a scanner trying spellings must not flood the log.
 */
public final class RefusedCalls {

    /** Why a call was refused, with the HTTP status it gets. */
    public enum Reason {
        NON_CANONICAL(400), NOT_DECLARED(404), METHOD_NOT_ALLOWED(405), TOKEN_NOT_CONFIGURED(403), TOKEN_MISSING(401),
        TOKEN_WRONG(401), BODY_TOO_LARGE(413), PEER_SIGNATURE(401);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** As status and metrics name it: nonCanonical, bodyTooLarge, ... */
        public String key() {
            String[] words = name().toLowerCase(Locale.ROOT).split("_");
            StringBuilder key = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            return key.toString();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RefusedCalls.class);

    private final Map<Reason, AtomicLong> counts = new EnumMap<>(Reason.class);
    private final OncePerInterval logLimit;

    public RefusedCalls(Clock clock) {
        for (Reason reason : Reason.values()) {
            counts.put(reason, new AtomicLong());
        }
        this.logLimit = new OncePerInterval(Duration.ofMinutes(1), clock);
    }

    public void refused(Reason reason, String method, String target, Object from) {
        counts.get(reason).incrementAndGet();
        long unlogged = logLimit.event();
        if (unlogged >= 0) {
            LOG.warn("Admin port: refused {} {} from {} with HTTP {} ({}); nothing was done{} (counts in /api/status; at most one line a minute)",
                    printable(method), printable(target), from, reason.status(), reason.key(),
                    unlogged == 0 ? "" : "; " + unlogged + " more refused since the last line");
        }
    }

    public long count(Reason reason) {
        return counts.get(reason).get();
    }

    /** Every refusal except a peer's bad signature, which the peer link counts per kind (redundancy.peerLink.refusedRequests). */
    public long adminCalls() {
        return counts.entrySet().stream().filter(e -> e.getKey() != Reason.PEER_SIGNATURE).mapToLong(e -> e.getValue().get()).sum();
    }

    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("total", counts.values().stream().mapToLong(AtomicLong::get).sum());
        counts.forEach((reason, count) -> s.put(reason.key(), count.get()));
        return s;
    }

    /** A request line as sent may hold anything: the log gets printable ASCII, at most 200 characters. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > 200 ? out + "..." : out.toString();
    }
}
