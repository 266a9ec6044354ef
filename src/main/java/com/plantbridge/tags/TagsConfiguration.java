package com.plantbridge.tags;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.redundancy.RedundancyClusterService;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.StartupFailure;

/**
 * The {@code ignition-tags:} component and one route per enabled connector, made from the YAML
 * route template, kept in step with the module settings by the {@link SettingsApplier}.
 */
@Configuration
public class TagsConfiguration implements CamelConfiguration {

    private SettingsApplier applier;
    private IgnitionTagsComponent component;

    @BindToRegistry("ignition-tags")
    public IgnitionTagsComponent ignitionTagsComponent(GatewayConnection gateway, ActiveSettings settings, MaintainxSenders senders,
                                                       LeadershipFence fence, PairKnowledge knowledge) {
        // A current value meets the newest reading the pair knows MaintainX holds or will hold.
        component = new IgnitionTagsComponent(gateway, settings, knowledge, fence, senders.meters(), settings.loader().limits().maxTagsPerConnector());
        return component;
    }

    @BindToRegistry
    public SettingsApplier settingsApplier(CamelContext context, ActiveSettings settings, MaintainxSenders senders,
                                           RedundancyClusterService cluster) {
        // A saved file also means "look at the folders again": connectors it did not change are scanned now.
        applier = new SettingsApplier(settings, new ConnectorRoutes(context, cluster), senders, unchanged -> component.rescanAll(unchanged, "settings saved"));
        return applier;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // The routes come from the YAML template once the context has started (camel-master's
        // clustered route policy starts routes added earlier only if the context is started then). A
        // route that cannot be made (a step naming a missing bean) stops the node instead of leaving
        // it running without routes.
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    try {
                        applier.start();
                    } catch (Exception e) {
                        StartupFailure.record(context, "the connector routes cannot be made from routes/: " + e.getMessage());
                    }
                }
            }
        });
    }
}
