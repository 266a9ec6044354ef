package com.plantbridge.redundancy;

import java.time.Instant;

/**
 * What this node last learned about its own gateway's redundancy. An unknown state carries the
 * problem (unreachable, unparsable, stale...) because "not Active" must always say why.
 */
public record GatewayRedundancy(String role, String activityLevel, Instant observedAt, String problem) {

    public static final String UNKNOWN = "Unknown";

    public static GatewayRedundancy unknown(String problem, Instant at) {
        return new GatewayRedundancy(UNKNOWN, UNKNOWN, at, problem);
    }

    public boolean isKnown() {
        return problem == null;
    }

    public boolean isActive() {
        return isKnown() && "Active".equals(activityLevel);
    }

    public boolean isMaster() {
        return "Master".equals(role);
    }
}
