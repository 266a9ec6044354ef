package com.plantbridge.peer;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Remembers recent signature failures on the peer link, in either direction, for the redundancy error state. */
public final class PeerTrust {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTrust.class);
    private static final Duration REMEMBER = Duration.ofSeconds(60);

    private volatile Instant lastFailure;
    private volatile String what;

    public void failure(String description) {
        if (lastFailure == null || Duration.between(lastFailure, Instant.now()).compareTo(REMEMBER) > 0) {
            LOG.error("Peer link: {} (bridge.peer.secret differs between the nodes?)", description);
        }
        what = description;
        lastFailure = Instant.now();
    }

    /** The recent failure, or null when signatures have been fine for a minute. */
    public String recentFailure() {
        Instant at = lastFailure;
        return at != null && Duration.between(at, Instant.now()).compareTo(REMEMBER) <= 0 ? what : null;
    }
}
