package com.plantbridge.peer;

import java.time.Instant;

/** What the other node of the pair says about itself and its gateway. */
public record PeerView(String node, String version, String role, String activityLevel, boolean enabled, boolean leader, Instant fetchedAt) {
}
