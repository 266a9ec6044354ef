package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.RefusedMeters;

/**
 * Readiness: DOWN while MaintainX refuses a meter (404, or a 400 naming it): that tag's readings
 * go to quarantine until a person fixes the mapping or the meter, then changes the settings or
 * replays the quarantine. Names the connector, meter and tag.
 */
public final class RefusedMetersHealthCheck extends ReadinessCheck {

    private final MaintainxSenders senders;

    public RefusedMetersHealthCheck(MaintainxSenders senders) {
        super("maintainx-refused-meters");
        this.senders = senders;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        for (ConnectorSender sender : senders.all()) {
            for (RefusedMeters.RefusedMeter meter : sender.refusedMeters()) {
                problems.add("Connector " + sender.connectorName() + ": MaintainX refuses meter " + meter.meterId() + " (tag " + meter.tag()
                        + ") since " + meter.since() + ": " + meter.reason());
                details.detail(sender.connectorName() + ".meter." + meter.meterId(), meter.tag());
            }
        }
    }
}
