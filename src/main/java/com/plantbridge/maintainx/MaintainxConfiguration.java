package com.plantbridge.maintainx;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import com.plantbridge.ops.NodeIdentity;
import com.plantbridge.ops.NodeProperties;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.settings.ActiveSettings;

/** One sender per connector, posting to MaintainX through camel-http, the {@code maintainx:} component, and meters found or created by name. */
@Configuration
public class MaintainxConfiguration implements CamelConfiguration {

    private MaintainxSenders senders;
    private MeterProvisioner meters;

    /**
     * The senders, and the meters of tags without meter-id (found by name or created by the leading
     * node), sharing one request budget per token. Made in one bean method: camel-main runs a
     * configuration's bean methods in no fixed order.
     */
    @BindToRegistry
    public MaintainxSenders maintainxSenders(CamelContext context, NodeProperties properties, NodeIdentity node, ActiveSettings settings,
                                             Outbox outbox, LeadershipFence fence, ObjectMapper json) {
        SenderSettings senderSettings = new SenderSettings(
                properties.integer("maintainx.batch-size"),
                properties.millis("maintainx.batch-delay"),
                properties.millis("maintainx.max-backoff"),
                properties.millis("maintainx.auth-retry"));
        RateLimiters limiters = new RateLimiters(properties.integer("maintainx.rate-limit.requests"),
                properties.millis("maintainx.rate-limit.window").toMillis());
        meters = new MeterProvisioner(context, settings, properties.text("maintainx.base-url"), node.userAgent(), limiters,
                properties.integer(CreationBudget.SHARE_KEY), outbox, new MeterProvisioner.Leadership() {
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
                }, properties.path("bridge.data-dir"), json);
        senders = new MaintainxSenders(context, settings, senderSettings, properties.text("maintainx.base-url"), node.userAgent(),
                limiters, outbox, fence, properties.millis("maintainx.watchdog.stall-after"), meters, json);
        return senders;
    }

    @BindToRegistry
    public CapturedReadings capturedReadings() {
        return new CapturedReadings();
    }

    @BindToRegistry("maintainx")
    public MaintainxComponent maintainxComponent(MaintainxSenders maintainxSenders, CapturedReadings captured) {
        return new MaintainxComponent(maintainxSenders, captured);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(meters, true, true);
        context.addService(senders, true, true);
    }
}
