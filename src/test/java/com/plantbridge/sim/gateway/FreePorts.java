package com.plantbridge.sim.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks a free loopback port up front, never one picked before in this JVM. Milo advertises the
 * configured port in its endpoint URLs, so binding to 0 and reading the port back afterwards is not
 * an option for the OPC UA side; and a port picked for a server that has not bound it yet must not
 * be picked again for another (a pair's nodes and gateways pick theirs before any starts).
 */
public final class FreePorts {

  private static final Set<Integer> PICKED = new HashSet<>();

  private FreePorts() {}

  public static synchronized int pick() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        if (PICKED.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }
  }
}
