package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.RefusedMeters;

/**
 * Readiness: DOWN while MaintainX refuses a meter (404, or a 400 naming it): that tag's readings
 * go to quarantine until a person fixes the mapping or the meter, then changes the settings or
 * replays the quarantine. Names the connector, meter and tag, at most {@value TagLists#EXAMPLES} per
 * connector, then how many more.
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
            List<RefusedMeters.RefusedMeter> refused = sender.refusedMeters();
            for (RefusedMeters.RefusedMeter meter : TagLists.examples(refused)) {
                problems.add("Connector " + sender.connectorName() + ": MaintainX refuses meter " + meter.meterId() + " (tag " + meter.tag()
                        + ") since " + meter.since() + ": " + meter.reason());
                details.detail(sender.connectorName() + ".meter." + meter.meterId(), meter.tag());
            }
            if (refused.size() > TagLists.EXAMPLES) {
                // Named in full on an admin page, not here: the camel CLI connector writes this check into its status file every second.
                problems.add("Connector " + sender.connectorName() + ": " + (refused.size() - TagLists.EXAMPLES) + " more meters refused"
                        + " (GET /api/status/tags?connector=" + sender.connectorName() + "&list=refusedMeters)");
                details.detail(sender.connectorName() + ".metersRefused", refused.size());
            }
        }
    }
}
