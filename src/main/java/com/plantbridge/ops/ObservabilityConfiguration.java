package com.plantbridge.ops;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.spi.CliConnectorFactory;
import org.apache.camel.console.DevConsoleRegistry;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.mirror.PairLink;
import com.plantbridge.node.LogContext;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.IgnitionTagsComponent;
import com.plantbridge.tags.IgnitionTagsConsumer;
import com.plantbridge.tags.SettingsApplier;

/**
 * How the node is operated the way Camel users expect: its business meters in Camel's Micrometer
 * registry, its own MBeans beside Camel's (Hawtio over Jolokia), the management server's
 * authentication, and the camel CLI connector. Last in the list: it reads every other capability.
 */
@Configuration
public class ObservabilityConfiguration implements CamelConfiguration {

    private BridgeMBeans mbeans;
    private BridgeMetrics metrics;
    private Runnable nodeMeters;
    private LogContext logContext;
    private DefaultCliConnectorFactory cliConnectorFactory;

    @BindToRegistry
    public RequestWindow requestWindow(NodeProperties properties, StatusReport status) {
        RequestWindow window = new RequestWindow(properties.millis("maintainx.rate-limit.window"), Clock.systemUTC());
        status.reportRequestsFrom(window);
        return window;
    }

    /** The meters go to Camel's own registry (camel.metrics.*, bound before the configuration classes run): /observe/metrics. */
    @BindToRegistry
    public BridgeMetrics bridgeMetrics(MeterRegistry metricsRegistry, IgnitionTagsComponent tags, MaintainxSenders senders, Outbox outbox,
                                       RequestWindow window, LeadershipController leadership, GatewayConnection gateway, PairLink pair,
                                       SettingsApplier applier) {
        BridgeMetrics metrics = new BridgeMetrics(metricsRegistry, tags, senders, outbox, window);
        senders.reportTo(metrics);
        applier.onApplied(metrics::bindConnectors);
        this.metrics = metrics;
        this.nodeMeters = () -> metrics.bindNode(leadership, gateway, pair);
        return metrics;
    }

    @BindToRegistry
    public BridgeMBeans bridgeMBeans(CamelContext context, RedundancyMonitor monitor, LeadershipController leadership, ModuleSwitch moduleSwitch,
                                     PairLink pair, ActiveSettings settings, MaintainxSenders senders, Outbox outbox, BridgeMetrics metrics,
                                     SettingsApplier applier, IgnitionTagsComponent tags) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("redundancy", new ManagedRedundancy(monitor, leadership, moduleSwitch, pair));
        node.put("mirror", new ManagedMirror(pair, settings));
        mbeans = new BridgeMBeans(context, node, connector -> new ManagedConnectorSender(connector, senders, outbox, metrics, tags));
        applier.onApplied(mbeans::connectors);
        return mbeans;
    }

    /** camel ps / camel get routes / camel get health (Camel JBang) see this node while bridge.cli-connector.enabled. */
    @BindToRegistry
    public DefaultCliConnectorFactory cliConnectorFactory(NodeProperties properties) {
        DefaultCliConnectorFactory factory = new DefaultCliConnectorFactory();
        cliConnectorFactory = factory;
        factory.setEnabled(properties.bool("bridge.cli-connector.enabled"));
        factory.setRuntimeStartClass("com.plantbridge.BridgeApplication");
        return factory;
    }

    @BindToRegistry
    public LogContext logContext(NodeIdentity node) {
        logContext = new LogContext(node.name(), source -> source instanceof ConnectorSender sender ? sender.connectorName()
                : source instanceof IgnitionTagsConsumer consumer ? consumer.getEndpoint().getConnector() : null);
        return logContext;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // Before any service starts a thread: node and connector in the MDC of every thread the node owns.
        context.getExecutorServiceManager().addThreadFactoryListener(logContext);
        // camel-main 4.17 calls every bean method twice (measured: once when it makes the configuration, once
        // more when it loads it); the registry keeps the second beans, but Micrometer would keep the first
        // gauges of a name. So meters that read node-wide beans are made here, once, from the second ones.
        nodeMeters.run();
        SecurityMeters.bind(context.getRegistry().findSingleByType(MeterRegistry.class),
                context.getRegistry().findSingleByType(AdminAuthorization.class).refusals(), context.getRegistry().findSingleByType(PairLink.class));
        context.addService(mbeans, true, true);
        // camel-main 4.17 looks for a CliConnectorFactory bean before the configuration classes bind theirs,
        // then the engine makes its own, enabled (measured: bridge.cli-connector.enabled=false was ignored, and
        // two nodes in one JVM shared one status file, so stopping one stopped the other). Ours, explicitly:
        context.getCamelContextExtension().addContextPlugin(CliConnectorFactory.class, cliConnectorFactory);
        // The CLI connector's status file holds the "properties" console's JSON: this one masks secrets.
        DevConsoleRegistry consoles = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class);
        if (consoles != null) {
            consoles.getConsole("properties").ifPresent(consoles::unregister);
            MaskedPropertiesConsole masked = new MaskedPropertiesConsole();
            masked.setCamelContext(context);
            consoles.register(masked);
        }
    }
}
