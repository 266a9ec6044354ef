package com.plantbridge.sim.gateway;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for an Ignition gateway: an OPC UA server with Ignition's tag namespace and the
 * {@code /system/gwinfo} redundancy endpoint, everything bound to 127.0.0.1.
 *
 * <p>All mutators are safe to call from any thread; they are serialised so that a write can never slip
 * between an OPC UA restart's tag snapshot and the new server going live.
 */
public final class SimulatedGateway implements AutoCloseable {

  public static final String VERSION = "8.1.43";
  public static final String TAG_NAMESPACE_URI = TagNamespace.URI;

  public static final String ACTIVITY_LEVEL_TAG = "[System]Gateway/Redundancy/ActivityLevel";
  public static final String ROLE_TAG = "[System]Gateway/Redundancy/Role";
  public static final String IS_ACTIVE_TAG = "[System]Gateway/Redundancy/IsActive";
  public static final String IS_MASTER_TAG = "[System]Gateway/Redundancy/IsMaster";

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedGateway.class);

  private final OpcUaSettings settings;
  private final Path pkiDir;
  private volatile ServerCertificate certificate;
  private final TagStore tags = new TagStore();
  private final List<TagChange> changes = new CopyOnWriteArrayList<>();
  private final GwinfoHttpServer http;
  private volatile RedundancyState redundancy;
  private GatewayOpcUaServer opcUa;
  private DemoTagDriver demo;

  private SimulatedGateway(Builder builder) {
    int port = builder.opcUaPort == 0 ? FreePorts.pick() : builder.opcUaPort;
    this.settings = new OpcUaSettings(builder.name, port, builder.username, builder.password,
        Set.copyOf(builder.securePolicies), builder.offerNone, builder.trustedClientsOnly ? new ClientTrust() : null);
    this.pkiDir = builder.pkiDir;
    this.certificate = settings.needsCertificate()
        ? ServerCertificate.generate(OpcUaSettings.applicationUriFor(builder.name), builder.name, pkiDir) : null;
    this.redundancy = new RedundancyState(builder.role, builder.activityLevel);
    addSystemTags();
    this.opcUa = GatewayOpcUaServer.start(settings, certificate, tags.udtInstances(), tags.snapshot());
    try {
      this.http = builder.httpPort < 0 ? null : new GwinfoHttpServer(builder.httpPort, this::gwinfoLine);
    } catch (RuntimeException e) {
      opcUa.stop();
      throw e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public String name() {
    return settings.name();
  }

  /** {@code opc.tcp://127.0.0.1:PORT}, no path: the server answers on the root path. */
  public String opcUaEndpoint() {
    return settings.endpointUrl();
  }

  public int opcUaPort() {
    return settings.port();
  }

  /** {@code http://127.0.0.1:PORT}; fails if the gateway was built with {@code httpPort(-1)}. */
  public String gatewayUrl() {
    return "http://" + OpcUaSettings.HOST + ":" + httpPort();
  }

  public int httpPort() {
    if (http == null) {
      throw new IllegalStateException("gateway " + name() + " has no HTTP server");
    }
    return http.port();
  }

  public String tagNamespaceUri() {
    return TAG_NAMESPACE_URI;
  }

  public boolean hasTag(String path) {
    return tags.contains(path);
  }

  public synchronized void addTag(String path, Object initialValue) {
    addTag(path, initialValue, null);
  }

  /**
   * A tag with engineering units (its {@code EngineeringUnits} property, an EUInformation whose
   * display name is {@code unit}), as an Ignition tag with Engineering Units set shows them.
   */
  public synchronized void addTag(String path, Object initialValue, String unit) {
    TagEntry entry = tags.add(path, initialValue, unit);
    if (opcUa != null) {
      opcUa.tags().addTag(entry);
    }
  }

  /** Deletes a tag, as deleting it in the Designer does: its node and its folder's reference to it go. */
  public synchronized void removeTag(String path) {
    tags.remove(path);
    if (opcUa != null) {
      opcUa.tags().removeTag(path);
    }
  }

  /**
   * A UDT instance: an object node (not a folder) in its folder, whose members are components of
   * it; add its members with {@link #addTag} under its path, e.g. {@code <path>/Speed}.
   */
  public synchronized void addUdtInstance(String path) {
    tags.addUdtInstance(path);
    if (opcUa != null) {
      opcUa.tags().addUdtInstance(path);
    }
  }

  /** Good quality, source and server timestamp now. */
  public void writeTag(String path, Object value) {
    writeTag(path, value, StatusCodes.Good, Instant.now());
  }

  /** @param statusCode a raw OPC UA status code, e.g. {@code StatusCodes.Bad_CommunicationError} */
  public synchronized void writeTag(String path, Object value, long statusCode, Instant sourceTime) {
    TagEntry entry = apply(path, value, statusCode, sourceTime);
    RedundancyState state = redundancy;
    changes.add(new TagChange(path, TagType.toJava(entry.value().value()), statusCode,
        entry.value().sourceTime().getJavaInstant(), state.role(), state.activityLevel()));
  }

  public Object readTag(String path) {
    return tags.get(path)
        .map(entry -> TagType.toJava(entry.value().value()))
        .orElseThrow(() -> new IllegalArgumentException("unknown tag: " + path));
  }

  public RedundancyState redundancy() {
    return redundancy;
  }

  /** Updates gwinfo and the {@code [System]Gateway/Redundancy/*} tags together, as one gateway event. */
  public synchronized void setRedundancy(String role, String activityLevel) {
    RedundancyState state = new RedundancyState(role, activityLevel);
    redundancy = state;
    Instant now = Instant.now();
    // Not recorded in changes(): those track process data, not the gateway's own status.
    apply(ROLE_TAG, state.role(), StatusCodes.Good, now);
    apply(ACTIVITY_LEVEL_TAG, state.activityLevel(), StatusCodes.Good, now);
    apply(IS_ACTIVE_TAG, state.isActive(), StatusCodes.Good, now);
    apply(IS_MASTER_TAG, state.isMaster(), StatusCodes.Good, now);
    LOG.info("gateway {} redundancy now {} / {}", name(), role, activityLevel);
  }

  public void setGwinfoMode(GwinfoMode mode) {
    if (http == null) {
      throw new IllegalStateException("gateway " + name() + " has no HTTP server");
    }
    http.setMode(mode);
  }

  /** Every gwinfo answer waits this long first (Duration.ZERO: none), as a busy gateway answers. */
  public void setGwinfoDelay(Duration delay) {
    gwinfoServer().setDelay(delay);
  }

  /** The next {@code count} gwinfo requests get {@code how} (DROP, HTTP_500 or GARBAGE), then the mode applies again. */
  public void misbehaveNextGwinfo(int count, GwinfoMode how) {
    gwinfoServer().misbehaveNext(count, how);
  }

  private GwinfoHttpServer gwinfoServer() {
    if (http == null) {
      throw new IllegalStateException("gateway " + name() + " has no HTTP server");
    }
    return http;
  }

  public synchronized void stopOpcUa() {
    if (opcUa != null) {
      opcUa.stop();
      opcUa = null;
      LOG.info("gateway {} OPC UA server stopped", name());
    }
  }

  /** Same port, same tags, current values, same certificate (unless {@link #renewCertificate()} made a new one). */
  public synchronized void startOpcUa() {
    if (opcUa == null) {
      opcUa = GatewayOpcUaServer.start(settings, certificate, tags.udtInstances(), tags.snapshot());
    }
  }

  /** The server's application certificate; null for a gateway that needs none (None only, anonymous). */
  public X509Certificate certificate() {
    return certificate == null ? null : certificate.certificate();
  }

  /**
   * A new key and certificate, as after a gateway reinstall (or an impostor on its address): the OPC UA
   * server restarts with it if it was running.
   */
  public synchronized void renewCertificate() {
    if (certificate == null) {
      throw new IllegalStateException("gateway " + name() + " has no certificate");
    }
    boolean running = opcUa != null;
    stopOpcUa();
    certificate = ServerCertificate.generate(settings.applicationUri(), name(), pkiDir);
    if (running) {
      startOpcUa();
    }
  }

  /** Trusts a client certificate on this gateway, as an operator does in Ignition's OPC UA security page. */
  public void trustClientCertificate(X509Certificate client) {
    clientTrust().trust(client);
  }

  /** Client certificates refused so far and not trusted since (Ignition's quarantined certificates). */
  public List<X509Certificate> quarantinedClientCertificates() {
    return clientTrust().quarantined();
  }

  private ClientTrust clientTrust() {
    if (settings.clientTrust() == null) {
      throw new IllegalStateException("gateway " + name() + " trusts every client certificate (see Builder.trustedClientsOnly)");
    }
    return settings.clientTrust();
  }

  public synchronized boolean isOpcUaRunning() {
    return opcUa != null;
  }

  /** Monitored items existing right now across all sessions and subscriptions (0 while stopped). */
  public synchronized int monitoredItemCount() {
    return opcUa == null ? 0 : opcUa.monitoredItemCount();
  }

  public List<TagChange> changes() {
    return List.copyOf(changes);
  }

  public synchronized void startDemoChanges(Duration period) {
    Objects.requireNonNull(period, "period");
    if (demo == null) {
      demo = new DemoTagDriver(List.of(this), name());
      demo.start(period);
    }
  }

  public synchronized void stopDemoChanges() {
    if (demo != null) {
      demo.close();
      demo = null;
    }
  }

  @Override
  public void close() {
    stopDemoChanges();
    stopOpcUa();
    if (http != null) {
      http.close();
    }
  }

  private String gwinfoLine() {
    return redundancy.gwinfoLine(VERSION);
  }

  private TagEntry apply(String path, Object value, long statusCode, Instant sourceTime) {
    TagEntry entry = tags.write(path, value, statusCode, sourceTime);
    if (opcUa != null) {
      opcUa.tags().publish(entry);
    }
    return entry;
  }

  private void addSystemTags() {
    RedundancyState state = redundancy;
    tags.add(ROLE_TAG, state.role());
    tags.add(ACTIVITY_LEVEL_TAG, state.activityLevel());
    tags.add(IS_ACTIVE_TAG, state.isActive());
    tags.add(IS_MASTER_TAG, state.isMaster());
  }

  /** Defaults: free ports, role Independent, Active, anonymous, SecurityPolicy None only, every client certificate trusted. */
  public static final class Builder {
    private String name = "gateway";
    private int opcUaPort;
    private int httpPort;
    private String role = "Independent";
    private String activityLevel = "Active";
    private String username;
    private String password;
    private final Set<SecurityPolicy> securePolicies = new LinkedHashSet<>();
    private boolean offerNone = true;
    private boolean trustedClientsOnly;
    private Path pkiDir;

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** 0 picks a free port. */
    public Builder opcUaPort(int port) {
      this.opcUaPort = port;
      return this;
    }

    /** 0 picks a free port, -1 runs no HTTP server at all. */
    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    public Builder role(String role) {
      this.role = Objects.requireNonNull(role, "role");
      return this;
    }

    public Builder activityLevel(String activityLevel) {
      this.activityLevel = Objects.requireNonNull(activityLevel, "activityLevel");
      return this;
    }

    /** Once set, anonymous sessions are refused and only this user is accepted. */
    public Builder user(String username, String password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Also offer Basic256Sha256 endpoints (Sign and SignAndEncrypt). */
    public Builder basic256Sha256(boolean enabled) {
      if (enabled) {
        securePolicies.add(SecurityPolicy.Basic256Sha256);
      } else {
        securePolicies.remove(SecurityPolicy.Basic256Sha256);
      }
      return this;
    }

    /** Also offer these policies, each with Sign and SignAndEncrypt. */
    public Builder securityPolicies(SecurityPolicy... policies) {
      for (SecurityPolicy policy : policies) {
        if (policy != SecurityPolicy.None) {
          securePolicies.add(policy);
        }
      }
      return this;
    }

    /** Whether an unsecured (SecurityPolicy None) endpoint is offered; default true. Discovery works either way. */
    public Builder offerNone(boolean offer) {
      this.offerNone = offer;
      return this;
    }

    /** Refuse client certificates until {@link SimulatedGateway#trustClientCertificate} was called for them. */
    public Builder trustedClientsOnly() {
      this.trustedClientsOnly = true;
      return this;
    }

    /**
     * As an Ignition 8.3 gateway comes configured: Basic256Sha256 endpoints only, anonymous access off, this
     * user required, and a client certificate must be trusted on the gateway first.
     */
    public Builder ignition83Security(String username, String password) {
      return user(username, password).basic256Sha256(true).offerNone(false).trustedClientsOnly();
    }

    /** Where the generated server certificate is written (server-cert.der / .pem); optional. */
    public Builder pkiDir(Path pkiDir) {
      this.pkiDir = pkiDir;
      return this;
    }

    public SimulatedGateway start() {
      return new SimulatedGateway(this);
    }
  }
}
