package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.tags.GatewayConnection;

/**
 * Readiness only: DOWN while there is no OPC UA session to this node's gateway, with why (refused
 * certificate, refused user, gateway unreachable) and since when. The node reconnects by itself; a
 * restart would not bring a gateway back or trust a certificate.
 */
public final class OpcUaSessionHealthCheck extends AbstractHealthCheck {

    private final GatewayConnection gateway;

    public OpcUaSessionHealthCheck(GatewayConnection gateway) {
        super("bridge", "opcua-session");
        this.gateway = gateway;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("endpoint", gateway.settings().endpoint());
        if (gateway.isSessionActive()) {
            builder.up();
            return;
        }
        String since = gateway.sessionDownSince().map(Object::toString).orElse("?");
        builder.detail("downSince", since);
        builder.message("No OPC UA session to " + gateway.settings().endpoint() + " since " + since + ": " + gateway.problem());
        builder.down();
    }
}
