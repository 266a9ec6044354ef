package com.plantbridge.ops;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.Settlement;
import com.plantbridge.mirror.PairLink;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.IgnitionTagsComponent;

/** What people and orchestrators see of the node: the admin API, status and health checks. */
@Configuration
public class OpsConfiguration implements CamelConfiguration {

    private AdminRoutes adminRoutes;
    private AdminAuthorization admin;
    private PairLink pair;

    @BindToRegistry
    public StatusReport statusReport(NodeIdentity node, ActiveSettings settings, ModuleSwitch moduleSwitch, GatewayConnection gateway,
                                     MaintainxSenders senders, Outbox outbox, RedundancyMonitor monitor, LeadershipController leadership,
                                     IgnitionTagsComponent tags, PairLink pair, AdminAuthorization admin, PairKnowledge knowledge,
                                     Settlement settlement) {
        StatusReport status = new StatusReport(node, settings, moduleSwitch, gateway, senders, outbox, monitor, leadership, tags, pair, admin,
                senders.meters(), knowledge, settlement);
        this.admin = admin;
        this.pair = pair;
        adminRoutes = new AdminRoutes(status, new TagLists(tags, senders, senders.meters()), senders, moduleSwitch, settings, tags);
        return status;
    }

    /** GET /api/status's security section: how each port is served, refused calls, warnings. */
    @BindToRegistry
    public SecurityStatus securityStatus(CamelContext context, StatusReport status, AdminAuthorization admin, PairLink pair, NodeProperties properties) {
        SecurityStatus security = new SecurityStatus(context, admin, pair, properties);
        status.reportSecurityFrom(security);
        return security;
    }

    /** Readiness: a connector whose folders hold more tags than bridge.max-tags-per-connector. */
    @BindToRegistry
    public TagLimitHealthCheck tagLimitHealthCheck(ActiveSettings settings, IgnitionTagsComponent tags) {
        return new TagLimitHealthCheck(settings, tags);
    }

    @BindToRegistry
    public ConnectorsHealthCheck connectorsHealthCheck(MaintainxSenders senders) {
        return new ConnectorsHealthCheck(senders);
    }

    /** Readiness: a connector whose sender makes no progress while readings wait. */
    @BindToRegistry
    public SenderProgressHealthCheck senderProgressHealthCheck(MaintainxSenders senders) {
        return new SenderProgressHealthCheck(senders);
    }

    /** Readiness: meters MaintainX refuses. */
    @BindToRegistry
    public RefusedMetersHealthCheck refusedMetersHealthCheck(MaintainxSenders senders) {
        return new RefusedMetersHealthCheck(senders);
    }

    @BindToRegistry
    public RedundancyHealthCheck redundancyHealthCheck(PairLink pair) {
        return new RedundancyHealthCheck(pair);
    }

    /** Readiness: a connector with tags its gateway refused is degraded, not dead. */
    @BindToRegistry
    public TagsHealthCheck tagsHealthCheck(ActiveSettings settings, IgnitionTagsComponent tags) {
        return new TagsHealthCheck(settings, tags);
    }

    @BindToRegistry
    public RedundancySourceHealthCheck redundancySourceHealthCheck(RedundancyMonitor monitor) {
        return new RedundancySourceHealthCheck(monitor);
    }

    /** Readiness: no OPC UA session to this node's gateway. */
    @BindToRegistry
    public OpcUaSessionHealthCheck opcUaSessionHealthCheck(GatewayConnection gateway) {
        return new OpcUaSessionHealthCheck(gateway);
    }

    /** Readiness: the Backup's node does not hold the Master's node's settings version. */
    @BindToRegistry
    public SettingsMirrorHealthCheck settingsMirrorHealthCheck(PairLink pair, NodeProperties properties) {
        return new SettingsMirrorHealthCheck(pair, properties.millis("bridge.mirror.check-interval"), java.time.Clock.systemUTC());
    }

    /** Readiness: readings wait longer than bridge.health.backlog-max-age. */
    @BindToRegistry
    public OutboxBacklogHealthCheck outboxBacklogHealthCheck(Outbox outbox, ActiveSettings settings, NodeProperties properties) {
        return new OutboxBacklogHealthCheck(outbox, settings::current, properties.millis(OutboxBacklogHealthCheck.MAX_AGE_KEY));
    }

    /** Liveness: deadlocked threads, sender threads that died; the only checks a restart fixes (with Camel's own "context"). */
    @BindToRegistry
    public ThreadsHealthCheck threadsHealthCheck(MaintainxSenders senders) {
        return new ThreadsHealthCheck(() -> senders.all().stream().filter(com.plantbridge.maintainx.ConnectorSender::threadDied)
                .map(com.plantbridge.maintainx.ConnectorSender::connectorName).sorted().toList());
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // The admin port checks every peer call's signature before its route runs.
        pair.peerLink().ifPresent(link -> admin.verifyPeerCallsWith(link.inbound()));
        context.addRoutes(adminRoutes);
    }
}
