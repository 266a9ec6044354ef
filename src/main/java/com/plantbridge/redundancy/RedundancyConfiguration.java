package com.plantbridge.redundancy;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;

import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;

/**
 * This node's view of its own gateway's redundancy, and the camel-master cluster service whose
 * leadership gates the connector routes ({@value #LEADER_ONLY} route policy).
 */
@Configuration
public class RedundancyConfiguration implements CamelConfiguration {

    /** camel-master namespace of the connector routes. */
    public static final String CLUSTER_NAMESPACE = "maintainx-readings";
    /** The route policy the YAML route template refers to by name. */
    public static final String LEADER_ONLY = "leaderOnly";

    private NodeProperties properties;
    private RedundancyMonitor monitor;
    private RedundancyClusterService cluster;
    private GatewaySession gateway;

    @BindToRegistry
    public RedundancyMonitor redundancyMonitor(NodeProperties nodeProperties, GatewaySession gatewaySession) {
        properties = nodeProperties;
        gateway = gatewaySession;
        Duration poll = pollInterval(nodeProperties);
        Duration readTimeout = nodeProperties.millis("ignition.redundancy.read-timeout");
        // A failed read is retried, not acted on: it counts only after stale-after without a successful
        // read, which must outlast one read that hits its timeout and the poll after it.
        Duration staleAfter = nodeProperties.optionalMillis("ignition.redundancy.stale-after")
                .orElse(Duration.ofMillis(Math.max(3 * poll.toMillis(), readTimeout.toMillis() + 2 * poll.toMillis())));
        RedundancySource source = RedundancySource.parse(nodeProperties.text("ignition.redundancy.source"));
        String location = source == RedundancySource.GWINFO
                ? GwinfoRoute.url(nodeProperties.text("ignition.gateway.url"))
                : gatewaySession.redundancyLocation();
        monitor = new RedundancyMonitor(source, location, poll, staleAfter, Clock.systemUTC());
        // The gateway answers again: its OPC UA server is worth a connection attempt now, not at the next retry.
        monitor.onGatewaySeenAgain(gatewaySession::reconnectNow);
        return monitor;
    }

    @BindToRegistry
    public RedundancyClusterService redundancyClusterService(NodeIdentity node) {
        cluster = new RedundancyClusterService(node.name());
        return cluster;
    }

    @BindToRegistry(LEADER_ONLY)
    public ClusteredRoutePolicy leaderOnly(RedundancyClusterService clusterService) throws Exception {
        return ClusteredRoutePolicy.forNamespace(clusterService, CLUSTER_NAMESPACE);
    }

    @BindToRegistry
    public LeadershipFence leadershipFence() {
        return new LeadershipFence();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        long poll = pollInterval(properties).toMillis();
        if (monitor.source() == RedundancySource.GWINFO) {
            context.addRoutes(new GwinfoRoute(monitor, properties.text("ignition.gateway.url"), poll,
                    properties.millis("ignition.redundancy.read-timeout").toMillis()));
        } else {
            context.addService(gateway.redundancyWatcher(monitor, poll), true, true);
        }
        context.addService(cluster, true, true);
    }

    static Duration pollInterval(NodeProperties properties) {
        Duration poll = properties.millis("ignition.redundancy.poll-interval");
        if (poll.toMillis() < 50) {
            throw new IllegalArgumentException("ignition.redundancy.poll-interval: must be at least 50 ms, got " + poll.toMillis());
        }
        return poll;
    }
}
