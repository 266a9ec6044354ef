package com.plantbridge.maintainx;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.settings.ActiveSettings;

/** One sender per connector, posting to MaintainX through camel-http, the {@code maintainx:} component, and meters found or created by name. */
@Configuration
public class MaintainxConfiguration implements CamelConfiguration {

    private MaintainxSenders senders;
    private MeterProvisioner meters;
    private Settlement settlement;

    /**
     * The senders, and the meters of tags without meter-id (found by name or created by the leading
     * node), sharing one request budget per token. Made in one bean method: camel-main runs a
     * configuration's bean methods in no fixed order.
     */
    @BindToRegistry
    public MaintainxSenders maintainxSenders(CamelContext context, NodeProperties properties, NodeIdentity node, ActiveSettings settings,
                                             Outbox outbox, LeadershipFence fence, ObjectMapper json, PairKnowledge knowledge) {
        SenderSettings senderSettings = new SenderSettings(
                properties.integer("maintainx.batch-size"),
                properties.millis("maintainx.batch-delay"),
                properties.millis("maintainx.max-backoff"),
                properties.millis("maintainx.auth-retry"));
        RateLimiters limiters = new RateLimiters(properties.integer("maintainx.rate-limit.requests"),
                properties.millis("maintainx.rate-limit.window").toMillis(), properties.integer(RateLimiters.ORGANIZATION_KEY),
                properties.integer(RateLimiters.READ_SHARE_KEY), properties.integer(CreationBudget.SHARE_KEY),
                properties.integer(RateLimiters.BURST_KEY));
        FenceLeadership leadership = new FenceLeadership(fence);
        meters = new MeterProvisioner(context, settings, properties.text("maintainx.base-url"), node.userAgent(), limiters, outbox, leadership,
                properties.path("bridge.data-dir"), json);
        senders = new MaintainxSenders(context, settings, senderSettings, properties.text("maintainx.base-url"), node.userAgent(),
                limiters, outbox, leadership, properties.millis("maintainx.watchdog.stall-after"), meters, json, properties.path("bridge.data-dir"));
        MaintainxSenders made = senders;
        settlement = new Settlement(context, limiters, made::client, knowledge);
        senders.settleWith(settlement);
        knowledge.settleWith(settlement);
        return senders;
    }

    /** Reads of MaintainX for what the pair cannot know (status shows their progress). */
    @BindToRegistry
    public Settlement settlement(MaintainxSenders maintainxSenders) {
        return settlement;
    }

    @BindToRegistry("maintainx")
    public MaintainxComponent maintainxComponent(MaintainxSenders maintainxSenders, PairKnowledge knowledge) {
        return new MaintainxComponent(maintainxSenders, knowledge.own());
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(meters, true, true);
        context.addService(settlement, true, true);
        context.addService(senders, true, true);
    }

    /** The leadership fence as the senders and the meter provisioner see it: one adapter for both. */
    private record FenceLeadership(LeadershipFence fence) implements MeterProvisioner.Leadership, ConnectorSender.Leadership {
        @Override
        public boolean isLeader() {
            return fence.isLeader();
        }

        @Override
        public long term() {
            return fence.term();
        }

        @Override
        public boolean enter() {
            return fence.enterCapture();
        }

        @Override
        public void exit() {
            fence.exitCapture();
        }
    }
}
