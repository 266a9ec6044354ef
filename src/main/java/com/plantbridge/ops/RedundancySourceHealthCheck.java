package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.redundancy.RedundancyMonitor;

/**
 * Readiness only: DOWN while this node cannot read its gateway's redundancy state, with where it
 * reads and the error. Such a node never leads, and without this it would look idle, not broken.
 */
public final class RedundancySourceHealthCheck extends ReadinessCheck {

    private final RedundancyMonitor monitor;

    public RedundancySourceHealthCheck(RedundancyMonitor monitor) {
        super("redundancy-source");
        this.monitor = monitor;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        details.detail("location", monitor.location());
        monitor.readFailure().ifPresent(failure -> {
            problems.add("redundancy state not readable from " + monitor.location() + " since " + failure.since() + ": " + failure.problem());
            details.detail("failedReads", failure.reads());
        });
    }
}
