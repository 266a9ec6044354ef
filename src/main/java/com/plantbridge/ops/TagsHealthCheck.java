package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.tags.IgnitionTagsComponent;
import com.plantbridge.tags.IgnitionTagsConsumer;
import com.plantbridge.tags.SubscriptionState;

/**
 * Readiness only: DOWN (degraded) while a running connector has tags its gateway refused (a typo,
 * a renamed tag, no access). The node still works for the other tags, so liveness is not touched:
 * restarting it would not bring a missing tag back.
 */
public final class TagsHealthCheck extends ReadinessCheck {

    private final ActiveSettings settings;
    private final IgnitionTagsComponent tags;

    public TagsHealthCheck(ActiveSettings settings, IgnitionTagsComponent tags) {
        super("tags");
        this.settings = settings;
        this.tags = tags;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        for (ConnectorSettings connector : settings.current().enabledConnectors()) {
            IgnitionTagsConsumer consumer = tags.consumer(connector.name()).orElse(null);
            if (consumer == null) {
                continue; // standby: not subscribed on purpose
            }
            SubscriptionState state = consumer.subscriptionState();
            details.detail(connector.name() + ".tagsSubscribed", state.tagsSubscribed());
            if (!state.refused().isEmpty()) {
                details.detail(connector.name() + ".tagsRefused", state.refused().size());
                problems.add("Connector " + connector.name() + ": " + state.refused().size() + " of " + state.tags()
                        + " tags refused by the gateway (listed in /api/status)");
            }
        }
    }
}
