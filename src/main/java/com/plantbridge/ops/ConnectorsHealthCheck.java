package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.SenderState;

/**
 * Readiness only: DOWN while any connector's token is refused by MaintainX. That needs a person (a
 * new token in the settings), not a restart: liveness must not make an orchestrator restart the node.
 */
public final class ConnectorsHealthCheck extends AbstractHealthCheck {

    private final MaintainxSenders senders;

    public ConnectorsHealthCheck(MaintainxSenders senders) {
        super("bridge", "maintainx-connectors");
        this.senders = senders;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        for (ConnectorSender sender : senders.all()) {
            builder.detail(sender.connectorName() + ".state", sender.state().name());
            if (sender.state() == SenderState.AUTH_ERROR) {
                builder.detail(sender.connectorName() + ".lastError", String.valueOf(sender.lastError()));
                builder.message("Connector " + sender.connectorName() + ": MaintainX refused its token (" + sender.lastError()
                        + "); readings are kept and the token is tried again; put a valid token in the settings");
                builder.down();
            }
        }
    }
}
