package com.plantbridge.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.RefusedMeters;

/**
 * Readiness: DOWN while MaintainX refuses a meter (404, or a 400 naming it): that tag's readings
 * go to quarantine until a person fixes the mapping or the meter, then changes the settings or
 * replays the quarantine. Names the connector, meter and tag.
 */
public final class RefusedMetersHealthCheck extends AbstractHealthCheck {

    private final MaintainxSenders senders;

    public RefusedMetersHealthCheck(MaintainxSenders senders) {
        super("bridge", "maintainx-refused-meters");
        this.senders = senders;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        List<String> refused = new ArrayList<>();
        for (ConnectorSender sender : senders.all()) {
            for (RefusedMeters.RefusedMeter meter : sender.refusedMeters()) {
                refused.add("Connector " + sender.connectorName() + ": MaintainX refuses meter " + meter.meterId() + " (tag " + meter.tag()
                        + ") since " + meter.since() + ": " + meter.reason());
                builder.detail(sender.connectorName() + ".meter." + meter.meterId(), meter.tag());
            }
        }
        if (!refused.isEmpty()) {
            builder.message(String.join("; ", refused));
            builder.down();
        }
    }
}
