package com.plantbridge.tags;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

import com.plantbridge.maintainx.CapturedReadings;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.ops.SettingsApplier;
import com.plantbridge.ops.StartupFailure;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ActiveSettings;

/**
 * The {@code ignition-tags:} component and one route per enabled connector, made from the YAML
 * route template, kept in step with the module settings by the {@link SettingsApplier}.
 */
@Configuration
public class TagsConfiguration implements CamelConfiguration {

    private SettingsApplier applier;
    private IgnitionTagsComponent component;

    @BindToRegistry("ignition-tags")
    public IgnitionTagsComponent ignitionTagsComponent(GatewayConnection gateway, ActiveSettings settings, RedundancyMonitor redundancy,
                                                       MaintainxSenders senders, LeadershipFence fence, CapturedReadings captured) {
        // A current value meets MaintainX's last reading, what the outbox still holds, and what this node
        // and the peer's node (before it handed leadership over) captured lately.
        component = new IgnitionTagsComponent(gateway, settings, redundancy::alreadyHandledBefore, connector -> senders.heldReadings(connector)
                .thenApply(held -> ReferenceReadings.known(captured.withCaptured(connector.name(), held)))
                // MaintainX cannot be asked (unreachable, its rate limit spent): the outbox and the captures still count.
                .exceptionally(e -> ReferenceReadings.withoutMaintainx(captured.withCaptured(connector.name(), senders.waitingReadings(connector)))),
                fence, senders.meters(), settings.loader().limits().maxTagsPerConnector());
        return component;
    }

    @BindToRegistry
    public SettingsApplier settingsApplier(CamelContext context, ActiveSettings settings, MaintainxSenders senders) {
        // A saved file also means "look at the folders again": connectors it did not change are scanned now.
        applier = new SettingsApplier(settings, new ConnectorRoutes(context), senders, unchanged -> component.rescanAll(unchanged, "settings saved"));
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
