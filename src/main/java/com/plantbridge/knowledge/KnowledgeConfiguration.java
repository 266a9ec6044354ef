package com.plantbridge.knowledge;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import com.plantbridge.node.NodeProperties;
import com.plantbridge.outbox.Outbox;

/** What the pair knows MaintainX holds: this node's deliveries, kept with the outbox, and the peer's as it streams them. */
@Configuration
public class KnowledgeConfiguration implements CamelConfiguration {

    private PairKnowledge knowledge;

    @BindToRegistry
    public PairKnowledge pairKnowledge(CamelContext context, NodeProperties properties, Outbox outbox) {
        knowledge = new PairKnowledge(context, outbox, properties.path("bridge.data-dir"), properties.millis("ignition.redundancy.poll-interval"));
        return knowledge;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(knowledge, true, true);
    }
}
