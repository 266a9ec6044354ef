package com.plantbridge.maintainx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.plantbridge.settings.ConnectorSettings;

/**
 * One {@link TokenBudget} per token for the life of the node: MaintainX counts requests per token,
 * so connectors that share a token share one budget, and a connector whose settings change keeps
 * the budget its token has already spent (a budget is never made again for a token it knew). Keyed
 * by a fingerprint of the token, never the token itself. Tokens of one organisation (the
 * connector's {@code organization-id}; connectors without one count as one organisation) share an
 * {@link OrganizationBudget}.
 */
public final class RateLimiters {

    public static final String ORGANIZATION_KEY = "maintainx.rate-limit.organization-requests";
    public static final String READ_SHARE_KEY = "maintainx.reads.share";

    private final int limit;
    private final long windowMs;
    private final int organizationLimit;
    private final int readPercent;
    private final int meterPercent;
    private final int burst;
    private final Map<String, TokenBudget> byToken = new ConcurrentHashMap<>();
    private final Map<String, OrganizationBudget> byOrganization = new ConcurrentHashMap<>();

    public static final String BURST_KEY = "maintainx.rate-limit.burst";

    public RateLimiters(int limit, long windowMs) {
        this(limit, windowMs, 500, 50, 20, limit);
    }

    /** @param burst requests a token sends at once; beyond them its window's requests are spread over the window */
    public RateLimiters(int limit, long windowMs, int organizationLimit, int readPercent, int meterPercent, int burst) {
        this.limit = limit;
        this.burst = Math.min(burst, limit);
        this.windowMs = windowMs;
        this.organizationLimit = organizationLimit;
        this.readPercent = percent(READ_SHARE_KEY, readPercent);
        this.meterPercent = percent(CreationBudget.SHARE_KEY, meterPercent);
        // The settings are checked at start, not at the first request.
        new RateLimiter(limit, windowMs, Math.max(1, Math.min(burst, limit)));
        if (burst < 1) {
            throw new IllegalArgumentException(BURST_KEY + " must be positive, got " + burst);
        }
        if (organizationLimit < 1) {
            throw new IllegalArgumentException(ORGANIZATION_KEY + " must be positive, got " + organizationLimit);
        }
    }

    private static int percent(String key, int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException(key + ": must be a percentage from 1 to 100, got " + percent);
        }
        return percent;
    }

    /** Requests per window a token may make. */
    public int limit() {
        return limit;
    }

    public long windowMs() {
        return windowMs;
    }

    public TokenBudget forToken(ConnectorSettings connector) {
        return byToken.computeIfAbsent(TokenKey.fingerprint(connector.token().reveal()), fingerprint -> {
            String organization = connector.organizationId() == null ? "default" : String.valueOf(connector.organizationId());
            OrganizationBudget shared = byOrganization.computeIfAbsent(organization,
                    o -> new OrganizationBudget(o, new RateLimiter(organizationLimit, windowMs)));
            return new TokenBudget("of connector " + connector.name(), new RateLimiter(limit, windowMs, burst), shared, readPercent, meterPercent);
        });
    }

    /** Every token's budget this node has used, for status. */
    public java.util.Collection<TokenBudget> all() {
        return byToken.values();
    }
}
