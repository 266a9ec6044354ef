package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.tags.IgnitionTagsComponent;
import com.plantbridge.tags.TagScan;

/**
 * Readiness only: DOWN (degraded) while a running connector's listed tags and folders hold more
 * tags than bridge.max-tags-per-connector. The connector keeps streaming the first ones, so
 * liveness is not touched; someone has to split the folder or raise the limit.
 */
public final class TagLimitHealthCheck extends ReadinessCheck {

    private final ActiveSettings settings;
    private final IgnitionTagsComponent tags;

    public TagLimitHealthCheck(ActiveSettings settings, IgnitionTagsComponent tags) {
        super("tag-limits");
        this.settings = settings;
        this.tags = tags;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        for (ConnectorSettings connector : settings.current().enabledConnectors()) {
            TagScan scan = tags.consumer(connector.name()).flatMap(c -> c.lastScan()).orElse(null);
            if (scan != null && scan.overLimit()) {
                problems.add("Connector " + connector.name() + ": " + scan.found() + " tags, more than the " + scan.max()
                        + " allowed (bridge.max-tags-per-connector); " + scan.dropped() + " not monitored");
                details.detail(connector.name() + ".tagsFound", scan.found());
                details.detail(connector.name() + ".tagsNotMonitored", scan.dropped());
            }
        }
    }
}
