package com.plantbridge;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.RateLimiters;
import com.plantbridge.maintainx.SenderSettings;
import com.plantbridge.ops.AdminHttpEngine;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.ops.BridgeVersion;
import com.plantbridge.ops.ConnectorsHealthCheck;
import com.plantbridge.ops.ModuleSwitch;
import com.plantbridge.ops.NodeProperties;
import com.plantbridge.ops.RedundancyHealthCheck;
import com.plantbridge.ops.RefusedMetersHealthCheck;
import com.plantbridge.ops.SenderProgressHealthCheck;
import com.plantbridge.ops.SettingsApplier;
import com.plantbridge.ops.StatusReport;
import com.plantbridge.mirror.MirrorRoutes;
import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.peer.PeerSignature;
import com.plantbridge.peer.PeerTrust;
import com.plantbridge.peer.PeerView;
import com.plantbridge.peer.PeerViewRoutes;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.GwinfoRoute;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.OpcUaRedundancyWatcher;
import com.plantbridge.redundancy.RedundancyClusterService;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.redundancy.RedundancySource;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.Secret;
import com.plantbridge.tags.ConnectorRoutes;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.GatewaySettings;

/**
 * Builds the node's beans from application.properties (DESIGN.md §5b) and the module settings.
 * Every key read here is documented in the README's settings table.
 */
public class BridgeConfiguration implements CamelConfiguration {

    /** camel-master namespace of the tag routes; the YAML route template refers to the policy by name. */
    public static final String CLUSTER_NAMESPACE = "maintainx-readings";

    @Override
    public void configure(CamelContext context) throws Exception {
        NodeProperties props = new NodeProperties(context);
        Registry registry = context.getRegistry();

        String nodeName = props.text("bridge.node-name", hostName());
        Path dataDir = props.path("bridge.data-dir", "data");
        context.getComponent("platform-http", PlatformHttpComponent.class)
                .setEngine(new AdminHttpEngine(props.integer("camel.server.port", 8080)));
        // HttpClient's own retries would resend readings MaintainX may already hold, wait out a
        // Retry-After silently, and stretch a gwinfo poll past its interval: the bridge owns retries.
        context.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        context.getComponent("https", HttpComponent.class).setAutomaticRetriesDisabled(true);

        ActiveSettings settings = ActiveSettings.load(props.path("bridge.module-config", "config/maintainx.yaml"));
        registry.bind("activeSettings", settings);
        if (props.bool("bridge.demo.enabled", false)) {
            throw new IllegalArgumentException("bridge.demo.enabled: the demo (simulated gateways, MaintainX sandbox) is not part of the product;"
                    + " run it from the source tree with: mvn -q -Pdemo -DskipTests test-compile exec:exec");
        }

        GatewayConnection gateway = new GatewayConnection(new GatewaySettings(
                props.text("ignition.opcua.endpoint", "opc.tcp://localhost:62541"),
                props.text("ignition.opcua.username", ""),
                Secret.of(props.text("ignition.opcua.password", "")),
                props.text("ignition.opcua.security-policy", "None"),
                props.text("ignition.opcua.tag-namespace", "urn:inductiveautomation:ignition:opcua:tags"),
                nodeName,
                dataDir));
        registry.bind("gatewayConnection", gateway);
        context.addService(gateway, true, true);

        ModuleSwitch moduleSwitch = new ModuleSwitch(dataDir, props.bool("bridge.enabled", true));
        registry.bind("moduleSwitch", moduleSwitch);
        context.addService(moduleSwitch, true, true);

        AtomicReference<SettingsMirror> mirror = new AtomicReference<>();
        LeadershipController leadership = redundancy(context, props, nodeName, gateway, moduleSwitch, mirror);

        SenderSettings senderSettings = new SenderSettings(
                props.integer("maintainx.batch-size", 500),
                props.millis("maintainx.batch-delay", 1_000),
                props.millis("maintainx.max-backoff", 60_000),
                props.millis("maintainx.auth-retry", 30_000));
        Outbox outbox = new Outbox(dataDir, props.integer("bridge.outbox.max-readings", 1_000_000));
        registry.bind("outbox", outbox);
        context.addService(outbox, true, true);
        String userAgent = BridgeVersion.NAME + "/" + BridgeVersion.version() + " (node " + nodeName + ")";
        // Senders take the CamelContext explicitly (threads from its ExecutorServiceManager); one limiter per token for the node's life.
        MaintainxSenders senders = new MaintainxSenders(context, settings, senderSettings,
                props.text("maintainx.base-url", "https://api.getmaintainx.com/v1"), userAgent,
                new RateLimiters(props.integer("maintainx.rate-limit.requests", 100),
                        props.millis("maintainx.rate-limit.window", 60_000).toMillis()),
                outbox, leadership, props.millis("maintainx.watchdog.stall-after", 300_000));
        registry.bind("maintainxSenders", senders);
        context.addService(senders, true, true);

        registry.bind("statusReport", new StatusReport(context, nodeName, settings, moduleSwitch, gateway, senders));
        registry.bind("connectorsHealthCheck", new ConnectorsHealthCheck(senders));
        // Readiness: the senders' watchdog and MaintainX's refused meters.
        registry.bind("senderProgressHealthCheck", new SenderProgressHealthCheck(senders));
        registry.bind("refusedMetersHealthCheck", new RefusedMetersHealthCheck(senders));

        SettingsApplier applier = new SettingsApplier(settings, new ConnectorRoutes(context), senders);
        registry.bind("settingsApplier", applier);
        mirror(context, props, settings.file(), dataDir, applier, mirror);
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    applier.start();
                }
            }
        });
    }

    /** The redundancy state source, the peer link, and the leadership that gates the tag routes and the sender. */
    private static LeadershipController redundancy(CamelContext context, NodeProperties props, String nodeName,
                                                   GatewayConnection gateway, ModuleSwitch moduleSwitch,
                                                   AtomicReference<SettingsMirror> mirror) throws Exception {
        Registry registry = context.getRegistry();
        long poll = props.millis("ignition.redundancy.poll-interval", 500).toMillis();
        if (poll < 50) {
            throw new IllegalArgumentException("ignition.redundancy.poll-interval: must be at least 50 ms, got " + poll);
        }
        RedundancySource source = RedundancySource.parse(props.text("ignition.redundancy.source", "gwinfo"));
        RedundancyMonitor monitor = new RedundancyMonitor(source, Duration.ofMillis(poll),
                props.millis("ignition.redundancy.stale-after", Math.max(1_500, 3 * poll)), Clock.systemUTC());
        registry.bind("redundancyMonitor", monitor);
        if (source == RedundancySource.GWINFO) {
            context.addRoutes(new GwinfoRoute(monitor, props.text("ignition.gateway.url", "http://localhost:8088"), poll));
        } else {
            context.addService(new OpcUaRedundancyWatcher(gateway, monitor, poll), true, true);
        }

        RedundancyClusterService cluster = new RedundancyClusterService(nodeName);
        context.addService(cluster, true, true);
        ClusteredRoutePolicy leaderOnly = ClusteredRoutePolicy.forNamespace(cluster, CLUSTER_NAMESPACE);
        registry.bind("leaderOnly", leaderOnly);

        Supplier<Optional<PeerView>> peerView = Optional::empty;
        PeerTrust trust = new PeerTrust();
        registry.bind("peerTrust", trust);
        Optional<String> peerUrl = props.optional("bridge.peer.url");
        LeadershipController[] self = new LeadershipController[1];
        if (peerUrl.isPresent()) {
            PeerSignature signature = new PeerSignature(Secret.of(props.text("bridge.peer.secret", "")), Duration.ofSeconds(30));
            registry.bind("peerSignature", signature);
            PeerViewRoutes peer = new PeerViewRoutes(signature, trust, peerUrl.get(), poll,
                    () -> ownView(nodeName, monitor, moduleSwitch, self[0], mirror.get(), trust));
            context.addRoutes(peer);
            registry.bind("peerView", peer);
            peerView = peer::current;
        }
        // A Backup's node in a redundancy error state must not lead with settings it cannot trust.
        Supplier<String> backupError = () -> {
            SettingsMirror m = mirror.get();
            return m != null && "Backup".equals(monitor.current().role()) ? m.errorState(trust.recentFailure()) : null;
        };
        LeadershipController leadership = new LeadershipController(monitor, peerView, moduleSwitch::isEnabled, backupError,
                cluster, props.millis("ignition.redundancy.debounce", poll), poll);
        self[0] = leadership;
        monitor.onChange(leadership::poke);
        moduleSwitch.onChange(leadership::poke);
        registry.bind("leadership", leadership);
        context.addService(leadership, true, true);
        return leadership;
    }

    /** The settings mirror between the two nodes of a pair; only with a peer. */
    private static void mirror(CamelContext context, NodeProperties props, Path settingsFile, Path dataDir,
                               SettingsApplier applier, AtomicReference<SettingsMirror> holder) throws Exception {
        Registry registry = context.getRegistry();
        PeerViewRoutes peer = registry.findSingleByType(PeerViewRoutes.class);
        if (peer == null) {
            return;
        }
        String compatibility = props.text("bridge.compatibility", BridgeVersion.compatibility());
        SettingsMirror mirror = new SettingsMirror(settingsFile, dataDir, Secret.of(props.text("bridge.peer.secret", "")), applier,
                registry.findSingleByType(RedundancyMonitor.class), compatibility);
        holder.set(mirror);
        registry.bind("settingsMirror", mirror);
        registry.bind("redundancyHealthCheck", new RedundancyHealthCheck(mirror, registry.findSingleByType(PeerTrust.class)));
        context.addRoutes(new MirrorRoutes(mirror, registry.findSingleByType(PeerSignature.class), registry.findSingleByType(PeerTrust.class),
                peer, settingsFile, props.millis("bridge.mirror.check-interval", 30_000).toMillis()));
    }

    private static Map<String, Object> ownView(String nodeName, RedundancyMonitor monitor, ModuleSwitch moduleSwitch,
                                               LeadershipController leadership, SettingsMirror mirror, PeerTrust trust) {
        GatewayRedundancy state = monitor.current();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node", nodeName);
        view.put("version", BridgeVersion.version());
        view.put("compatibility", mirror == null ? BridgeVersion.compatibility() : mirror.compatibility());
        view.put("schema", SettingsMirror.SCHEMA);
        view.put("settingsVersion", mirror == null ? 0 : mirror.version());
        view.put("settingsChecksum", mirror == null ? "" : mirror.checksum());
        view.put("error", mirror == null ? null : mirror.errorState(trust.recentFailure()));
        view.put("role", state.role());
        view.put("activityLevel", state.activityLevel());
        view.put("enabled", moduleSwitch.isEnabled());
        view.put("leader", leadership != null && leadership.isLeader());
        view.put("at", Instant.now().toString());
        return view;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
