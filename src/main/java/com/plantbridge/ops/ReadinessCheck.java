package com.plantbridge.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness-only check. What these checks report needs a person or time (a token, a gateway, a
 * certificate, a peer), not a restart, and an orchestrator answers a failing liveness check with a
 * restart: so liveness never sees them. DOWN with every problem found, joined; UP without one.
 */
abstract class ReadinessCheck extends AbstractHealthCheck {

    protected ReadinessCheck(String id) {
        super("bridge", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }

    @Override
    public final boolean isReadiness() {
        return true;
    }

    @Override
    protected final void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        inspect(builder, problems);
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.message(String.join("; ", problems));
            builder.down();
        }
    }

    /** Adds details to the result and one sentence per problem (naming what, since when, what to do). */
    protected abstract void inspect(HealthCheckResultBuilder details, List<String> problems);
}
