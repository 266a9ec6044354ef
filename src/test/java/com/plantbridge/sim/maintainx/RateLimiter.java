package com.plantbridge.sim.maintainx;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * MaintainX's default limits ("Default Rate Limits" in the vendor's OpenAPI): each token (user) 100
 * requests per 60 s, and all users of one organisation together 500 per 60 s. A request passes only
 * when every bucket it counts in has room, and then takes a slot of each; a refused request takes
 * none. Fixed windows opened by a bucket's first request. The headers describe the bucket with the
 * fewest requests left, so a client that reads them learns the stricter limit before it meets a 429.
 */
final class RateLimiter {

    static final int DEFAULT_LIMIT = 100;
    static final int DEFAULT_ORGANIZATION_LIMIT = 500;
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
    private int organizationLimit = DEFAULT_ORGANIZATION_LIMIT;
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

    synchronized void configureOrganization(int newLimit) {
        if (newLimit < 1) {
            throw new IllegalArgumentException("organisation limit must be >= 1");
        }
        organizationLimit = newLimit;
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

    /** A request with {@code token}, acting in {@code organizationId} (null: an unknown token, counted only per token). */
    synchronized Decision acquire(String token, Long organizationId, long nowNanos) {
        if (!enabled) {
            return UNLIMITED;
        }
        Window own = window("token:" + token, nowNanos);
        Window org = organizationId == null ? null : window("organization:" + organizationId, nowNanos);
        boolean allowed = own.used < limit && (org == null || org.used < organizationLimit);
        if (allowed) {
            own.used++;
            if (org != null) {
                org.used++;
            }
        }
        Decision mine = decision(allowed, own, limit, nowNanos);
        if (org == null) {
            return mine;
        }
        Decision shared = decision(allowed, org, organizationLimit, nowNanos);
        return shared.remaining() < mine.remaining() ? shared : mine;
    }

    private Window window(String key, long nowNanos) {
        Window window = windows.get(key);
        if (window == null || nowNanos - window.startNanos >= windowNanos) {
            window = new Window(nowNanos);
            windows.put(key, window);
        }
        return window;
    }

    private Decision decision(boolean allowed, Window window, int cap, long nowNanos) {
        long left = window.startNanos + windowNanos - nowNanos;
        long resetSeconds = Math.max(1, (left + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        return new Decision(allowed, cap, Math.max(0, cap - window.used), resetSeconds);
    }
}
