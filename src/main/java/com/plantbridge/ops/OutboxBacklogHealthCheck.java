package com.plantbridge.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxCounts;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;

/**
 * Readiness only: DOWN while a connector's oldest waiting reading is older than
 * bridge.health.backlog-max-age: MaintainX is not getting this node's readings in time (down, rate
 * limit too small for the tags, token refused). Names the connector, how many wait and since when.
 */
public final class OutboxBacklogHealthCheck extends ReadinessCheck {

    public static final String MAX_AGE_KEY = "bridge.health.backlog-max-age";

    private final Outbox outbox;
    private final Supplier<ModuleSettings> settings;
    private final Duration maxAge;

    public OutboxBacklogHealthCheck(Outbox outbox, Supplier<ModuleSettings> settings, Duration maxAge) {
        super("outbox-backlog");
        this.outbox = outbox;
        this.settings = settings;
        this.maxAge = maxAge;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        details.detail("maxAgeSeconds", maxAge.toSeconds());
        Instant now = Instant.now();
        for (ConnectorSettings connector : settings.get().connectors()) {
            OutboxCounts counts = outbox.counts(connector.name());
            details.detail(connector.name() + ".pending", counts.pending() + counts.inFlight());
            Instant oldest = outbox.oldestWaiting(connector.name()).orElse(null);
            if (oldest != null && Duration.between(oldest, now).compareTo(maxAge) > 0) {
                details.detail(connector.name() + ".oldestPending", oldest.toString());
                problems.add("Connector " + connector.name() + ": " + (counts.pending() + counts.inFlight()) + " readings wait, the oldest since "
                        + oldest + " (more than " + maxAge.toSeconds() + " s, " + MAX_AGE_KEY + ")");
            }
        }
    }
}
