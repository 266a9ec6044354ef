package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.tags.GatewayConnection;

/**
 * Readiness only: DOWN while there is no OPC UA session to this node's gateway, with why (refused
 * certificate, refused user, gateway unreachable) and since when. The node reconnects by itself; a
 * restart would not bring a gateway back or trust a certificate.
 */
public final class OpcUaSessionHealthCheck extends ReadinessCheck {

    private final GatewayConnection gateway;

    public OpcUaSessionHealthCheck(GatewayConnection gateway) {
        super("opcua-session");
        this.gateway = gateway;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        details.detail("endpoint", gateway.settings().endpoint());
        if (!gateway.isSessionActive()) {
            String since = gateway.sessionDownSince().map(Object::toString).orElse("?");
            details.detail("downSince", since);
            problems.add("No OPC UA session to " + gateway.settings().endpoint() + " since " + since + ": " + gateway.problem());
        }
    }
}
