package com.plantbridge.redundancy;

import java.time.Instant;

/**
 * What the other node of the pair says about itself, its gateway and its settings: the evidence,
 * besides this node's own gateway, that leadership is decided on;
 * {@code gatewayReadable} false: its last read of its gateway failed (its role and activity level
 * are then the last it read).
 */
public record PeerView(String node, String version, String compatibility, int schema, String role, String activityLevel,
                       boolean enabled, boolean leader, long settingsVersion, String settingsChecksum, String error,
                       boolean gatewayReadable, Instant fetchedAt) {

    /** Evidence that the peer's node neither leads nor should: it released, or its gateway is not Active or cannot be read. */
    public boolean releasedOrNotActive() {
        return !leader || !gatewayReadable || !"Active".equals(activityLevel);
    }
}
