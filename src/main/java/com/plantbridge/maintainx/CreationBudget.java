package com.plantbridge.maintainx;

import com.plantbridge.settings.ConnectorSettings;

/**
 * The part of a token's request budget that finding and creating meters may spend
 * ({@code maintainx.meter-creation.share} percent of {@code maintainx.rate-limit.requests} per
 * window, at least one request), never the last requests of a window (see {@link TokenBudget}), so
 * readings always keep the rest of the budget. At 100 requests a minute and 20%, 6,000 new tags
 * take about five hours to get their meters; readings of the tags that have one are not delayed by it.
 */
final class CreationBudget {

    public static final String SHARE_KEY = "maintainx.meter-creation.share";
    /** How long one request waits for a slot before the round moves on. */
    static final long WAIT_MS = 10_000;

    private final RateLimiters tokens;

    CreationBudget(RateLimiters tokens) {
        this.tokens = tokens;
    }

    /** One request slot of the connector's token, within the share. */
    MaintainxClient.Slot slot(ConnectorSettings connector) {
        return tokens.forToken(connector).slot(TokenBudget.Use.METERS, WAIT_MS);
    }
}
