package com.plantbridge.redundancy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.RoutesBuilder;

import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;

/**
 * The leadership decision, made last because it reads everything else: the gateway's state, the
 * pair link and the local enable flag. What must happen elsewhere at a switch is reached through
 * interfaces this package owns: {@link Takeovers} (the pair's knowledge), {@link PendingCaptures}
 * (the tags), {@link GatewaySession} and {@link PairSignals} (the peer link), {@link ShutdownDrain} (the senders).
 */
@Configuration
public class LeadershipConfiguration implements CamelConfiguration {

    private LeadershipController controller;
    private RedundancyClusterService clusterService;
    private RoutesBuilder handoverAnswer;
    private ShutdownDrain drain;

    @BindToRegistry
    public LeadershipController leadershipController(CamelContext context, NodeProperties properties, NodeIdentity node,
                                                     RedundancyMonitor monitor, PairSignals pair, ModuleSwitch moduleSwitch,
                                                     RedundancyClusterService cluster, LeadershipFence fence, Takeovers takeovers,
                                                     PendingCaptures captures, ObjectMapper json, GatewaySession gateway,
                                                     ShutdownDrain drain) {
        controller = new LeadershipController(context, node.name(), monitor, pair, moduleSwitch::isEnabled, gateway::isSessionActive,
                cluster, fence, takeovers,
                captures::flushCaptured, properties.millis("ignition.redundancy.debounce"), properties.millis("bridge.peer.takeover-after"),
                RedundancyConfiguration.pollInterval(properties).toMillis());
        clusterService = cluster;
        this.drain = drain;
        monitor.onChange(controller::poke);
        moduleSwitch.onChange(controller::poke);
        pair.onPeerView(controller::poke);
        handoverAnswer = pair.handoverAnswer(controller, json).orElse(null);
        return controller;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(controller, true, true);
        context.getManagementStrategy().addEventNotifier(new StopLeadershipFirst(controller, clusterService, drain));
        if (handoverAnswer != null) {
            context.addRoutes(handoverAnswer);
        }
    }
}
