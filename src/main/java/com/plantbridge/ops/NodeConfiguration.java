package com.plantbridge.ops;

import java.time.Clock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpComponent;

import com.plantbridge.node.FileModes;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.settings.Secret;

/** The node itself: its settings, identity, JSON mapper, HTTP servers and local enable flag. */
@Configuration
public class NodeConfiguration implements CamelConfiguration {

    private NodeProperties properties;
    private ModuleSwitch moduleSwitch;
    private AdminAuthorization adminAuthorization;

    @BindToRegistry
    public NodeProperties nodeProperties(CamelContext context) {
        properties = new NodeProperties(context);
        return properties;
    }

    @BindToRegistry
    public NodeIdentity nodeIdentity(NodeProperties nodeProperties) {
        return NodeIdentity.from(nodeProperties);
    }

    /**
     * The one ObjectMapper of the node; camel-jackson's {@code marshal().json()} finds it too. The
     * sealed settings document of a file at the loader's limit is longer than Jackson's default
     * 20 M characters per string; a newer peer may send fields this node does not know.
     */
    @BindToRegistry("json")
    public ObjectMapper json() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, ModuleSettingsLoader.MAX_CODE_POINTS * 6L)).build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    @BindToRegistry
    public ModuleSwitch moduleSwitch(NodeProperties nodeProperties) {
        // The data dir holds tokens, keys and the outbox: owner only, before anything is written to it.
        FileModes.ownerOnlyDirectory(nodeProperties.path("bridge.data-dir"));
        moduleSwitch = new ModuleSwitch(nodeProperties.path("bridge.data-dir"), nodeProperties.bool("bridge.enabled"));
        return moduleSwitch;
    }

    /** The admin token check, run before every admin route. */
    @BindToRegistry
    public AdminAuthorization adminAuthorization(NodeProperties nodeProperties, ObjectMapper json) {
        adminAuthorization = new AdminAuthorization(Secret.of(nodeProperties.textOrEmpty(AdminAuthorization.TOKEN_KEY)), Clock.systemUTC(), json);
        return adminAuthorization;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (properties.bool("bridge.demo.enabled")) {
            throw new IllegalArgumentException("bridge.demo.enabled: the demo (simulated gateways, MaintainX sandbox) is not part of the product;"
                    + " run it from the source tree with: mvn -q -Pdemo -DskipTests test-compile exec:exec");
        }
        context.getComponent("platform-http", PlatformHttpComponent.class)
                .setEngine(new AdminHttpEngine(properties.integer("camel.server.port"), adminAuthorization));
        // HttpClient's own retries would resend readings MaintainX may already hold, wait out a
        // Retry-After silently, and stretch a gwinfo poll past its interval: the bridge owns retries.
        context.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        context.getComponent("https", HttpComponent.class).setAutomaticRetriesDisabled(true);
        context.addService(moduleSwitch, true, true);
    }
}
