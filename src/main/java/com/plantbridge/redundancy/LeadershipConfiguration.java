package com.plantbridge.redundancy;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import com.plantbridge.ops.ModuleSwitch;
import com.plantbridge.ops.NodeProperties;

/**
 * The leadership decision, made last because it reads everything else: the gateway's state, the
 * pair link and the local enable flag.
 */
@Configuration
public class LeadershipConfiguration implements CamelConfiguration {

    private LeadershipController controller;

    @BindToRegistry
    public LeadershipController leadershipController(CamelContext context, NodeProperties properties, RedundancyMonitor monitor,
                                                     PairSignals pair, ModuleSwitch moduleSwitch, RedundancyClusterService cluster,
                                                     LeadershipFence fence) {
        controller = new LeadershipController(context, monitor, pair, moduleSwitch::isEnabled, cluster, fence,
                properties.millis("ignition.redundancy.debounce"), RedundancyConfiguration.pollInterval(properties).toMillis());
        monitor.onChange(controller::poke);
        moduleSwitch.onChange(controller::poke);
        return controller;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(controller, true, true);
    }
}
