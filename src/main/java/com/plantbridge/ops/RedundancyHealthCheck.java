package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.mirror.PairLink;

/**
 * Readiness only: DOWN with the reason while the pair is in a redundancy error state (settings,
 * versions, refused pushes, this node's own link to its peer). A restart fixes none of these.
 */
public final class RedundancyHealthCheck extends ReadinessCheck {

    private final PairLink pair;

    public RedundancyHealthCheck(PairLink pair) {
        super("redundancy");
        this.pair = pair;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        String error = pair.redundancyError();
        pair.mirror().ifPresent(mirror -> details.detail("settingsVersion", mirror.version()));
        if (error != null) {
            problems.add("redundancy error: " + error);
        }
    }
}
