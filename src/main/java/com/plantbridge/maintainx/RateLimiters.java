package com.plantbridge.maintainx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.plantbridge.settings.ConnectorSettings;

/**
 * One {@link RateLimiter} per token for the life of the node: MaintainX counts requests per token,
 * so connectors that share a token share one budget, and a connector whose settings change keeps
 * the budget its token has already spent (a limiter is never made again for a token it knew).
 * Keyed by a fingerprint of the token, never the token itself.
 */
public final class RateLimiters {

    private final int limit;
    private final long windowMs;
    private final Map<String, RateLimiter> byToken = new ConcurrentHashMap<>();

    public RateLimiters(int limit, long windowMs) {
        this.limit = limit;
        this.windowMs = windowMs;
        new RateLimiter(limit, windowMs);   // the settings are checked at start, not at the first request
    }

    /** Requests per window a token may make. */
    public int limit() {
        return limit;
    }

    public long windowMs() {
        return windowMs;
    }

    public RateLimiter forToken(ConnectorSettings connector) {
        return byToken.computeIfAbsent(MeterListReads.fingerprint(connector.token().reveal()), t -> new RateLimiter(limit, windowMs));
    }
}
