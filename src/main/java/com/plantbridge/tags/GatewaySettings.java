package com.plantbridge.tags;

import java.nio.file.Path;

import com.plantbridge.settings.Secret;

/** How this node reaches its own gateway's OPC UA server (node-local, never mirrored). */
public record GatewaySettings(
        String endpoint,
        String username,
        Secret password,
        String securityPolicy,
        String tagNamespace,
        String nodeName,
        Path dataDir) {

    public GatewaySettings {
        if (!"None".equals(securityPolicy) && !"Basic256Sha256".equals(securityPolicy)) {
            throw new IllegalArgumentException("ignition.opcua.security-policy: must be None or Basic256Sha256, got '" + securityPolicy + "'");
        }
        if (endpoint == null || !endpoint.startsWith("opc.tcp://")) {
            throw new IllegalArgumentException("ignition.opcua.endpoint: must start with opc.tcp://, got '" + endpoint + "'");
        }
    }

    public boolean anonymous() {
        return username == null || username.isBlank();
    }
}
