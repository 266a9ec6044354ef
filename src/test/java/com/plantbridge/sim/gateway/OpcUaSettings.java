package com.plantbridge.sim.gateway;

/**
 * What stays fixed across OPC UA restarts of one gateway.
 *
 * @param username null when anonymous access is allowed
 * @param certificate null when neither username tokens nor Basic256Sha256 need one
 */
record OpcUaSettings(
    String name,
    int port,
    String username,
    String password,
    boolean basic256Sha256,
    ServerCertificate certificate) {

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
}
