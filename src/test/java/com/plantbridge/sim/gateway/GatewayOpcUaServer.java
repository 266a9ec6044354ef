package com.plantbridge.sim.gateway;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the gateway's OPC UA server. A restart builds a fresh instance because an OpcUaServer that
 * was shut down cannot be started again; tags come back from the {@link TagStore}.
 */
final class GatewayOpcUaServer {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayOpcUaServer.class);

  /** Registered before the tag namespace so it does not land on index 2; clients must look it up by URI. */
  static final String PADDING_NAMESPACE_URI = "urn:plantbridge:sim:reserved";

  private final OpcUaServer server;
  private final TagNamespace tags;

  private GatewayOpcUaServer(OpcUaServer server, TagNamespace tags) {
    this.server = server;
    this.tags = tags;
  }

  static GatewayOpcUaServer start(OpcUaSettings settings, ServerCertificate certificate, List<String> udtInstances,
      List<TagEntry> initialTags) {
    forgetSharedTypeHierarchies();
    if (settings.securePolicies().contains(SecurityPolicy.Aes256_Sha256_RsaPss)
        && java.security.Security.getProvider("BC") == null) {
      // "SHA256withRSA/PSS" exists only in Bouncy Castle (a Milo dependency), as Milo's own examples register it.
      java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    }
    OpcUaServer server = new OpcUaServer(config(settings, certificate), profile -> {
      if (profile != TransportProfile.TCP_UASC_UABINARY) {
        throw new UnsupportedOperationException("transport " + profile);
      }
      return new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build());
    });
    server.getNamespaceTable().add(PADDING_NAMESPACE_URI);
    var tags = new TagNamespace(server, udtInstances, initialTags);
    tags.startup();
    try {
      server.startup().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting OPC UA server", e);
    } catch (ExecutionException e) {
      tags.shutdown();
      server.shutdown();
      throw new IllegalStateException("OPC UA server failed to start on " + settings.endpointUrl(), e.getCause());
    }
    LOG.info("gateway {} OPC UA server listening on {} (tag namespace index {})",
        settings.name(), settings.endpointUrl(), tags.getNamespaceIndex());
    return new GatewayOpcUaServer(server, tags);
  }

  TagNamespace tags() {
    return tags;
  }

  /** Counted from the live subscriptions, so items dropped with a closed session or subscription disappear too. */
  int monitoredItemCount() {
    return server.getSubscriptions().values().stream()
        .mapToInt(s -> s.getMonitoredItemCount().intValue())
        .sum();
  }

  void stop() {
    // Unbinding closes every client channel, which is what makes this a restart clients notice.
    server.shutdown().join();
    tags.shutdown();
    // A session being set up while the server shuts down can cache a half-torn-down hierarchy.
    forgetSharedTypeHierarchies();
  }

  /**
   * Milo caches instance-declaration hierarchies in a JVM-wide static cache. With several servers started
   * and shut down in one JVM (pairs, restarts, test suites), per-session diagnostics nodes were then built
   * with components missing, logging NPEs on session creation. Rebuilding them per server avoids most of
   * that; the remaining occasional WARN only affects the SDK's diagnostics nodes, never sessions or data.
   */
  private static void forgetSharedTypeHierarchies() {
    List.of(NodeIds.SessionDiagnosticsObjectType, NodeIds.SessionDiagnosticsVariableType,
            NodeIds.SessionSecurityDiagnosticsType, NodeIds.SubscriptionDiagnosticsType,
            NodeIds.ServerDiagnosticsType)
        .forEach(NodeFactory::invalidateCachedIdh);
  }

  private static OpcUaServerConfig config(OpcUaSettings settings, ServerCertificate certificate) {
    return OpcUaServerConfig.builder()
        .setApplicationUri(settings.applicationUri())
        .setApplicationName(LocalizedText.english("Ignition OPC UA Server (simulated " + settings.name() + ")"))
        .setProductUri("urn:inductiveautomation:ignition:opcua:server")
        .setBuildInfo(new BuildInfo("urn:inductiveautomation:ignition:opcua:server", "Inductive Automation",
            "Ignition OPC UA Server (simulated)", SimulatedGateway.VERSION, "0", DateTime.now()))
        .setEndpoints(endpoints(settings, certificate))
        .setIdentityValidator(identityValidator(settings))
        .setCertificateManager(certificate != null
            ? certificate.certificateManager(settings.clientTrust())
            : new DefaultCertificateManager(new MemoryCertificateQuarantine()))
        .build();
  }

  private static Set<EndpointConfig> endpoints(OpcUaSettings settings, ServerCertificate certificate) {
    UserTokenPolicy tokenPolicy = settings.username() != null
        ? OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME
        : OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
    EndpointConfig.Builder base = EndpointConfig.newBuilder()
        .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
        .setBindAddress(OpcUaSettings.HOST)
        .setHostname(OpcUaSettings.HOST)
        .setBindPort(settings.port())
        // Empty path: Ignition's endpoint URL has none, and Milo then serves the root path "/".
        .setPath("")
        .setCertificate(certificate == null ? null : certificate.certificate())
        .addTokenPolicies(tokenPolicy);

    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    if (settings.offerNone()) {
      endpoints.add(base.copy()
          .setSecurityPolicy(SecurityPolicy.None)
          .setSecurityMode(MessageSecurityMode.None)
          .build());
    }
    // Without a None endpoint, Milo still answers GetEndpoints on an unsecured channel (discovery), as Ignition does.
    for (SecurityPolicy policy : settings.securePolicies()) {
      for (MessageSecurityMode mode : List.of(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt)) {
        endpoints.add(base.copy().setSecurityPolicy(policy).setSecurityMode(mode).build());
      }
    }
    return endpoints;
  }

  private static IdentityValidator identityValidator(OpcUaSettings settings) {
    if (settings.username() == null) {
      return AnonymousIdentityValidator.INSTANCE;
    }
    return new UsernameIdentityValidator(challenge ->
        settings.username().equals(challenge.getUsername())
            && settings.password().equals(challenge.getPassword()));
  }
}
