package com.plantbridge.sim.gateway;

import java.util.Set;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;

/**
 * What stays fixed across OPC UA restarts of one gateway (the certificate is handed in per start, so a
 * test can make the gateway present a new one).
 *
 * @param username null when anonymous access is allowed
 * @param securePolicies offered each with Sign and SignAndEncrypt
 * @param offerNone whether a SecurityPolicy None endpoint is offered (Ignition 8.3: not by default)
 * @param clientTrust null when every client certificate is accepted
 */
record OpcUaSettings(
    String name,
    int port,
    String username,
    String password,
    Set<SecurityPolicy> securePolicies,
    boolean offerNone,
    ClientTrust clientTrust) {

  static final String HOST = "127.0.0.1";

  /** Per gateway name, so the two members of a redundant pair are distinct applications. */
  static String applicationUriFor(String name) {
    return "urn:plantbridge:sim:ignition:" + name;
  }

  String applicationUri() {
    return applicationUriFor(name);
  }

  String endpointUrl() {
    return "opc.tcp://" + HOST + ":" + port;
  }

  boolean needsCertificate() {
    return !securePolicies.isEmpty() || username != null;
  }
}
