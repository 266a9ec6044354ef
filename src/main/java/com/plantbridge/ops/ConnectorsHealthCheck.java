package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.SenderState;

/** DOWN while any connector's token is refused by MaintainX: that needs a person, not a retry. */
public final class ConnectorsHealthCheck extends AbstractHealthCheck {

    private final MaintainxSenders senders;

    public ConnectorsHealthCheck(MaintainxSenders senders) {
        super("bridge", "maintainx-connectors");
        this.senders = senders;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        for (ConnectorSender sender : senders.all()) {
            builder.detail(sender.connectorName() + ".state", sender.state().name());
            if (sender.state() == SenderState.AUTH_ERROR) {
                builder.message("Connector " + sender.connectorName() + ": MaintainX refused its token");
                builder.down();
            }
        }
    }
}
