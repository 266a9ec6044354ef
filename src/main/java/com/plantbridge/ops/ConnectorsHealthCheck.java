package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.SenderState;

/**
 * Readiness only: DOWN while any connector's token is refused by MaintainX. That needs a person (a
 * new token in the settings), not a restart: liveness must not make an orchestrator restart the node.
 */
public final class ConnectorsHealthCheck extends ReadinessCheck {

    private final MaintainxSenders senders;

    public ConnectorsHealthCheck(MaintainxSenders senders) {
        super("maintainx-connectors");
        this.senders = senders;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        for (ConnectorSender sender : senders.all()) {
            details.detail(sender.connectorName() + ".state", sender.state().name());
            if (sender.state() == SenderState.AUTH_ERROR) {
                details.detail(sender.connectorName() + ".lastError", String.valueOf(sender.lastError()));
                problems.add("Connector " + sender.connectorName() + ": MaintainX refused its token (" + sender.lastError()
                        + "); readings are kept and the token is tried again; put a valid token in the settings");
            }
        }
    }
}
