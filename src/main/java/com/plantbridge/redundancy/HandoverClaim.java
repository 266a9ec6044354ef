package com.plantbridge.redundancy;

import java.time.Instant;

/**
 * What a node that wants to lead tells its peer about itself when it asks for leadership;
 * {@code capturing}: its OPC UA session to its gateway is up, so it can capture changes at once.
 */
public record HandoverClaim(String node, String role, String activityLevel, boolean enabled, boolean capturing) {

    /** The claim as the leadership policy reads a peer. */
    PeerView asPeerView(Instant at) {
        return new PeerView(node, "", "", 0, role, activityLevel, enabled, false, 0, "", null, true, at);
    }
}
