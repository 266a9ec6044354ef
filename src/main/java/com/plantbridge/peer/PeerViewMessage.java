package com.plantbridge.peer;

import java.time.Instant;

import com.plantbridge.redundancy.PeerView;

/** What a node answers on GET /api/peer/view about itself; {@code at} is its own clock when it answered. */
public record PeerViewMessage(String node, String version, String compatibility, int schema, long settingsVersion,
                              String settingsChecksum, String error, String role, String activityLevel, boolean enabled,
                              boolean leader, boolean gatewayReadable, Instant at) {

    /** As this node keeps it: stamped with when it was fetched, on this node's clock. */
    PeerView fetched(Instant fetchedAt) {
        return new PeerView(node, version, compatibility, schema, role, activityLevel, enabled, leader, settingsVersion,
                settingsChecksum, error, gatewayReadable, fetchedAt);
    }
}
