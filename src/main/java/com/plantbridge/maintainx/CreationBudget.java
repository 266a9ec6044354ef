package com.plantbridge.maintainx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.plantbridge.settings.ConnectorSettings;

/**
 * The part of a token's request budget that finding and creating meters may spend
 * ({@code maintainx.meter-creation.share} percent of {@code maintainx.rate-limit.requests} per
 * window, at least one request): each of their requests takes a slot of this share and a slot of
 * the token's own limiter, so readings always keep the rest of the budget. At 100 requests a
 * minute and 20%, 6,000 new tags take about five hours to get their meters; readings of the tags
 * that have one are not delayed by it.
 */
final class CreationBudget {

    public static final String SHARE_KEY = "maintainx.meter-creation.share";
    /** How long one request waits for a slot of the share, then of the token, before the round moves on. */
    static final long SHARE_WAIT_MS = 2_000;
    static final long TOKEN_WAIT_MS = 10_000;

    private final RateLimiters tokens;
    private final int perWindow;
    private final Map<String, RateLimiter> shares = new ConcurrentHashMap<>();

    CreationBudget(RateLimiters tokens, int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException(SHARE_KEY + ": must be a percentage from 1 to 100, got " + percent);
        }
        this.tokens = tokens;
        this.perWindow = Math.max(1, tokens.limit() * percent / 100);
    }

    /** Requests per window that meter lookups and creation may make with one token. */
    int perWindow() {
        return perWindow;
    }

    /** One request slot for the connector's token: of the share first, then of the token's budget. */
    MaintainxClient.Slot slot(ConnectorSettings connector) {
        RateLimiter share = shares.computeIfAbsent(MeterListReads.fingerprint(connector.token().reveal()),
                t -> new RateLimiter(perWindow, tokens.windowMs()));
        RateLimiter token = tokens.forToken(connector);
        return () -> share.tryAcquire(SHARE_WAIT_MS) && token.tryAcquire(TOKEN_WAIT_MS);
    }

    RateLimiter tokenLimiter(ConnectorSettings connector) {
        return tokens.forToken(connector);
    }
}
