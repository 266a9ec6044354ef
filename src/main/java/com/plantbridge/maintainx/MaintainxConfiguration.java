package com.plantbridge.maintainx;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

import com.plantbridge.ops.NodeIdentity;
import com.plantbridge.ops.NodeProperties;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.settings.ActiveSettings;

/** One sender per connector, posting to MaintainX through camel-http, and the {@code maintainx:} component. */
@Configuration
public class MaintainxConfiguration implements CamelConfiguration {

    private MaintainxSenders senders;

    @BindToRegistry
    public MaintainxSenders maintainxSenders(CamelContext context, NodeProperties properties, NodeIdentity node, ActiveSettings settings,
                                             Outbox outbox, LeadershipFence fence) {
        SenderSettings senderSettings = new SenderSettings(
                properties.integer("maintainx.batch-size"),
                properties.millis("maintainx.batch-delay"),
                properties.millis("maintainx.max-backoff"),
                properties.millis("maintainx.auth-retry"));
        senders = new MaintainxSenders(context, settings, senderSettings, properties.text("maintainx.base-url"), node.userAgent(),
                new RateLimiters(properties.integer("maintainx.rate-limit.requests"), properties.millis("maintainx.rate-limit.window").toMillis()),
                outbox, fence, properties.millis("maintainx.watchdog.stall-after"));
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
        context.addService(senders, true, true);
    }
}
