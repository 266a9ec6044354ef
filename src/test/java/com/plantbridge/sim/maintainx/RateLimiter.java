package com.plantbridge.sim.maintainx;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Fixed-window limiter per token: the window opens at the first request and lasts {@code window};
 * rejected requests do not consume quota.
 */
final class RateLimiter {

    static final int DEFAULT_LIMIT = 100;
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    /** Outcome plus the values for the {@code X-Rate-Limit-*} headers. */
    record Decision(boolean allowed, long limit, long remaining, long resetSeconds) {
    }

    private static final class Window {
        final long startNanos;
        int used;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Decision UNLIMITED = new Decision(true, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);

    private final Map<String, Window> windows = new HashMap<>();
    private int limit = DEFAULT_LIMIT;
    private long windowNanos = DEFAULT_WINDOW.toNanos();
    private boolean enabled = true;

    synchronized void configure(int newLimit, Duration window) {
        if (newLimit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be positive");
        }
        limit = newLimit;
        windowNanos = window.toNanos();
        enabled = true;
        windows.clear();
    }

    synchronized void disable() {
        enabled = false;
        windows.clear();
    }

    synchronized void clear() {
        windows.clear();
    }

    synchronized Decision acquire(String key, long nowNanos) {
        if (!enabled) {
            return UNLIMITED;
        }
        Window window = windows.get(key);
        if (window == null || nowNanos - window.startNanos >= windowNanos) {
            window = new Window(nowNanos);
            windows.put(key, window);
        }
        boolean allowed = window.used < limit;
        if (allowed) {
            window.used++;
        }
        long left = window.startNanos + windowNanos - nowNanos;
        long resetSeconds = Math.max(1, (left + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        return new Decision(allowed, limit, limit - window.used, resetSeconds);
    }
}
