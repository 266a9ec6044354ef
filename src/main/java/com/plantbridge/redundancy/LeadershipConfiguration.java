package com.plantbridge.redundancy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.RoutesBuilder;

import com.plantbridge.maintainx.CapturedReadings;
import com.plantbridge.ops.ModuleSwitch;
import com.plantbridge.ops.NodeIdentity;
import com.plantbridge.ops.NodeProperties;
import com.plantbridge.peer.PairLink;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.IgnitionTagsComponent;

/**
 * The leadership decision, made last because it reads everything else: the gateway's state, the
 * pair link and the local enable flag.
 */
@Configuration
public class LeadershipConfiguration implements CamelConfiguration {

    private LeadershipController controller;
    private RoutesBuilder handoverAnswer;

    @BindToRegistry
    public LeadershipController leadershipController(CamelContext context, NodeProperties properties, NodeIdentity node,
                                                     RedundancyMonitor monitor, PairSignals pair, ModuleSwitch moduleSwitch,
                                                     RedundancyClusterService cluster, LeadershipFence fence, CapturedReadings captured,
                                                     IgnitionTagsComponent tags, PairLink pairLink, ObjectMapper json,
                                                     GatewayConnection gateway) {
        controller = new LeadershipController(context, node.name(), monitor, pair, moduleSwitch::isEnabled, gateway::isSessionActive,
                cluster, fence, captured,
                tags::flushCaptured, properties.millis("ignition.redundancy.debounce"), properties.millis("bridge.peer.takeover-after"),
                RedundancyConfiguration.pollInterval(properties).toMillis());
        monitor.onChange(controller::poke);
        moduleSwitch.onChange(controller::poke);
        pair.onPeerView(controller::poke);
        handoverAnswer = pairLink.handoverAnswer(controller, json).orElse(null);
        return controller;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(controller, true, true);
        if (handoverAnswer != null) {
            context.addRoutes(handoverAnswer);
        }
    }
}
