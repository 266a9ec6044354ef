package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.redundancy.RedundancyMonitor;

/**
 * Readiness only: DOWN while this node cannot read its gateway's redundancy state, with where it
 * reads and the error. Such a node never leads, and without this it would look idle, not broken.
 */
public final class RedundancySourceHealthCheck extends AbstractHealthCheck {

    private final RedundancyMonitor monitor;

    public RedundancySourceHealthCheck(RedundancyMonitor monitor) {
        super("bridge", "redundancy-source");
        this.monitor = monitor;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("location", monitor.location());
        monitor.readFailure().ifPresentOrElse(failure -> {
            builder.message("redundancy state not readable from " + monitor.location() + " since " + failure.since() + ": " + failure.problem());
            builder.detail("failedReads", failure.reads());
            builder.down();
        }, builder::up);
    }
}
