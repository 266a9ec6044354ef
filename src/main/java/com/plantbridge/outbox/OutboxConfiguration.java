package com.plantbridge.outbox;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import com.plantbridge.node.NodeProperties;

/** The durable outbox of accepted readings in the data dir. */
@Configuration
public class OutboxConfiguration implements CamelConfiguration {

    private Outbox outbox;

    @BindToRegistry
    public Outbox outbox(NodeProperties properties) {
        outbox = new Outbox(properties.path("bridge.data-dir"), properties.positiveLong("bridge.outbox.max-readings"));
        return outbox;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(outbox, true, true);
    }
}
