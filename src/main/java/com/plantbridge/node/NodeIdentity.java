package com.plantbridge.node;

import java.net.InetAddress;

/** Who this node is: in logs, status, the peer link and the HTTP User-Agent MaintainX sees. */
public record NodeIdentity(String name) {

    /** bridge.node-name, or the host name when it is empty. */
    public static NodeIdentity from(NodeProperties properties) {
        return new NodeIdentity(properties.optional("bridge.node-name").orElseGet(NodeIdentity::hostName));
    }

    public String userAgent() {
        return BridgeVersion.NAME + "/" + BridgeVersion.version() + " (node " + name + ")";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
