package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.peer.PairLink;

/**
 * Readiness only: DOWN with the reason while the pair is in a redundancy error state (settings,
 * versions, refused pushes, this node's own link to its peer). A restart fixes none of these.
 */
public final class RedundancyHealthCheck extends AbstractHealthCheck {

    private final PairLink pair;

    public RedundancyHealthCheck(PairLink pair) {
        super("bridge", "redundancy");
        this.pair = pair;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String error = pair.redundancyError();
        pair.mirror().ifPresent(mirror -> builder.detail("settingsVersion", mirror.version()));
        if (error == null) {
            builder.up();
        } else {
            builder.message("redundancy error: " + error);
            builder.down();
        }
    }
}
