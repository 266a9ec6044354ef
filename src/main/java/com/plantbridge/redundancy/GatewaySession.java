package com.plantbridge.redundancy;

import org.apache.camel.Service;

/**
 * This node's OPC UA session to its own gateway, as redundancy needs it: whether it is up (a node
 * that cannot capture does not take leadership), a reconnect when the gateway answers again, and
 * the gateway's redundancy state read over it. The tags capability owns the session and implements
 * this; redundancy knows nothing of OPC UA.
 */
public interface GatewaySession {

    boolean isSessionActive();

    /** The gateway answers again: try the session now rather than at the next retry. */
    void reconnectNow();

    /** Where the redundancy state is read over this session, as status and logs name it. */
    String redundancyLocation();

    /** A service that reads the gateway's redundancy state over this session into the monitor, at least once per poll. */
    Service redundancyWatcher(RedundancyMonitor monitor, long pollMillis);
}
