package com.plantbridge.sim.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
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
  private final TagStore tags = new TagStore();
  private final List<TagChange> changes = new CopyOnWriteArrayList<>();
  private final GwinfoHttpServer http;
  private volatile RedundancyState redundancy;
  private GatewayOpcUaServer opcUa;
  private DemoTagDriver demo;

  private SimulatedGateway(Builder builder) {
    int port = builder.opcUaPort == 0 ? FreePorts.pick() : builder.opcUaPort;
    boolean needsCertificate = builder.basic256Sha256 || builder.username != null;
    ServerCertificate certificate =
        needsCertificate ? ServerCertificate.generate(OpcUaSettings.applicationUriFor(builder.name), builder.name, builder.pkiDir) : null;
    this.settings = new OpcUaSettings(
        builder.name, port, builder.username, builder.password, builder.basic256Sha256, certificate);
    this.redundancy = new RedundancyState(builder.role, builder.activityLevel);
    addSystemTags();
    this.opcUa = GatewayOpcUaServer.start(settings, tags.snapshot());
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
    TagEntry entry = tags.add(path, initialValue);
    if (opcUa != null) {
      opcUa.tags().addTag(entry);
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

  public synchronized void stopOpcUa() {
    if (opcUa != null) {
      opcUa.stop();
      opcUa = null;
      LOG.info("gateway {} OPC UA server stopped", name());
    }
  }

  /** Same port, same tags, current values. */
  public synchronized void startOpcUa() {
    if (opcUa == null) {
      opcUa = GatewayOpcUaServer.start(settings, tags.snapshot());
    }
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

  /** Defaults: free ports, role Independent, Active, anonymous, SecurityPolicy None only. */
  public static final class Builder {
    private String name = "gateway";
    private int opcUaPort;
    private int httpPort;
    private String role = "Independent";
    private String activityLevel = "Active";
    private String username;
    private String password;
    private boolean basic256Sha256;
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

    /** Also offer a Basic256Sha256 / SignAndEncrypt endpoint; every client certificate is trusted. */
    public Builder basic256Sha256(boolean enabled) {
      this.basic256Sha256 = enabled;
      return this;
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
