package com.plantbridge.peer;

import java.time.Instant;

/** What the other node of the pair says about itself, its gateway and its settings. */
public record PeerView(String node, String version, String compatibility, int schema, String role, String activityLevel,
                       boolean enabled, boolean leader, long settingsVersion, String settingsChecksum, String error,
                       Instant fetchedAt) {
}
