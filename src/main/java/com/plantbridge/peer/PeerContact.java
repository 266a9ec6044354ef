package com.plantbridge.peer;

import java.time.Duration;
import java.time.Instant;

/**
 * When this node last had an authenticated exchange with its peer (a verified view or handover
 * answer): a node takes over alone only after its peer has been silent for bridge.peer.takeover-after.
 */
public final class PeerContact {

    private volatile Instant last = Instant.now();

    void heard() {
        last = Instant.now();
    }

    Duration silentFor(Instant now) {
        return Duration.between(last, now);
    }
}
