package com.plantbridge.testing;

import com.plantbridge.sim.gateway.FreePorts;

/** A free loopback port for a node, never one handed out before in this JVM (see {@link FreePorts}). */
public final class FreePort {

    private FreePort() {
    }

    public static int next() {
        return FreePorts.pick();
    }
}
