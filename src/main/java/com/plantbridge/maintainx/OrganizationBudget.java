package com.plantbridge.maintainx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests all tokens of one MaintainX organisation share ({@code
 * maintainx.rate-limit.organization-requests}, 500 a minute), learned from the rate-limit headers
 * when MaintainX says otherwise. Its monitor is the one lock under which a token's request is
 * counted in both budgets, so two tokens never take the organisation's last request together.
 */
public final class OrganizationBudget {

    private static final Logger LOG = LoggerFactory.getLogger(OrganizationBudget.class);

    private final String name;
    private final RateLimiter limiter;

    OrganizationBudget(String name, RateLimiter limiter) {
        this.name = name;
        this.limiter = limiter;
    }

    public String name() {
        return name;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    Object lock() {
        return this;
    }

    /** The last requests of the organisation's window, left to readings. */
    int reserve() {
        return Math.max(1, limiter.limit() / 10);
    }

    /** MaintainX named the organisation's limit in a header: plan with it. */
    void learn(int limit) {
        if (limiter.changeLimitTo(limit)) {
            LOG.info("MaintainX counts {} requests per window for organisation {} (all its tokens together); planning with it", limit, name);
        }
    }
}
