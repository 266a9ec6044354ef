package com.plantbridge.tags;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;

import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.settings.Secret;

/** The OPC UA session to this node's own gateway, shared by the tag subscriptions and the redundancy watcher. */
@Configuration
public class GatewayConfiguration implements CamelConfiguration {

    private GatewayConnection gateway;

    @BindToRegistry
    public GatewayConnection gatewayConnection(NodeProperties properties, NodeIdentity node) {
        SecurityPolicy policy = GatewaySettings.policy(properties.text("ignition.opcua.security-policy"));
        gateway = new GatewayConnection(new GatewaySettings(
                properties.text("ignition.opcua.endpoint"),
                properties.textOrEmpty("ignition.opcua.username"),
                Secret.of(properties.textOrEmpty("ignition.opcua.password")),
                policy,
                GatewaySettings.mode(properties.textOrEmpty("ignition.opcua.security-mode"), policy),
                properties.text("ignition.opcua.tag-namespace"),
                node.name(),
                properties.path("bridge.data-dir"),
                properties.bool("ignition.opcua.trust-on-first-use")));
        return gateway;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(gateway, true, true);
    }
}
