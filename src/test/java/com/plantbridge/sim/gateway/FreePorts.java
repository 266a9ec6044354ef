package com.plantbridge.sim.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a free loopback port up front. Milo advertises the configured port in its endpoint URLs, so
 * binding to 0 and reading the port back afterwards is not an option for the OPC UA side.
 */
final class FreePorts {

  private FreePorts() {}

  static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
