package com.plantbridge;

import java.net.InetAddress;
import java.nio.file.Path;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.SenderSettings;
import com.plantbridge.ops.AdminHttpEngine;
import com.plantbridge.ops.BridgeVersion;
import com.plantbridge.ops.ConnectorsHealthCheck;
import com.plantbridge.ops.ModuleSwitch;
import com.plantbridge.ops.NodeProperties;
import com.plantbridge.ops.StatusReport;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.Secret;
import com.plantbridge.sim.DemoEnvironment;
import com.plantbridge.tags.ConnectorRoutes;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.GatewaySettings;

/**
 * Builds the node's beans from application.properties (DESIGN.md §5b) and the module settings.
 * Every key read here is documented in the README's settings table.
 */
public class BridgeConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        NodeProperties props = new NodeProperties(context);
        Registry registry = context.getRegistry();

        String nodeName = props.text("bridge.node-name", hostName());
        context.getComponent("platform-http", PlatformHttpComponent.class)
                .setEngine(new AdminHttpEngine(props.integer("camel.server.port", 8080)));
        Path dataDir = props.path("bridge.data-dir", "data");
        ActiveSettings settings = ActiveSettings.load(props.path("bridge.module-config", "config/maintainx.yaml"));
        registry.bind("activeSettings", settings);
        if (props.bool("bridge.demo.enabled", false)) {
            context.addService(new DemoEnvironment(settings,
                    props.text("ignition.opcua.endpoint", "opc.tcp://localhost:62541"),
                    props.text("ignition.gateway.url", "http://localhost:8088"),
                    props.integer("bridge.demo.sandbox-port", 8099)), true, true);
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

        SenderSettings senderSettings = new SenderSettings(
                props.integer("maintainx.batch-size", 500),
                props.millis("maintainx.batch-delay", 1_000),
                props.millis("maintainx.max-backoff", 60_000),
                props.millis("maintainx.auth-retry", 30_000));
        String userAgent = BridgeVersion.NAME + "/" + BridgeVersion.version() + " (node " + nodeName + ")";
        MaintainxSenders senders = new MaintainxSenders(settings, senderSettings,
                props.text("maintainx.base-url", "https://api.getmaintainx.com/v1"), userAgent,
                props.integer("maintainx.rate-limit.requests", 100),
                props.millis("maintainx.rate-limit.window", 60_000).toMillis());
        senders.setCamelContext(context);
        registry.bind("maintainxSenders", senders);
        context.addService(senders, true, true);

        ModuleSwitch moduleSwitch = new ModuleSwitch(dataDir, props.bool("bridge.enabled", true));
        registry.bind("moduleSwitch", moduleSwitch);
        registry.bind("statusReport", new StatusReport(context, nodeName, settings, moduleSwitch, gateway, senders));
        registry.bind("connectorsHealthCheck", new ConnectorsHealthCheck(senders));

        ConnectorRoutes connectorRoutes = new ConnectorRoutes(context);
        registry.bind("connectorRoutes", connectorRoutes);
        moduleSwitch.onChange(enabled -> applyRoutes(connectorRoutes, settings, enabled));
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    connectorRoutes.apply(settings.current(), moduleSwitch.isEnabled());
                }
            }
        });
    }

    private static void applyRoutes(ConnectorRoutes routes, ActiveSettings settings, boolean enabled) {
        try {
            routes.apply(settings.current(), enabled);
        } catch (Exception e) {
            throw new IllegalStateException("Connector routes could not follow the module switch", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
