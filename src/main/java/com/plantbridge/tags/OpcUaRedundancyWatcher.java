package com.plantbridge.tags;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.service.ServiceSupport;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.TagSettings;

/**
 * Reads the redundancy state from the gateway's own system tags over the node's OPC UA session.
 * The last values are re-reported every poll so that the monitor's staleness check also covers a
 * session that is gone: then the state is unknown. Made by {@link GatewayConnection#redundancyWatcher}
 * for the redundancy capability, which owns the monitor.
 */
public final class OpcUaRedundancyWatcher extends ServiceSupport {

    public static final String ACTIVITY_LEVEL = "[System]Gateway/Redundancy/ActivityLevel";
    public static final String ROLE = "[System]Gateway/Redundancy/Role";

    private final GatewayConnection gateway;
    private final RedundancyMonitor monitor;
    private final long pollMillis;
    private volatile String role;
    private volatile String level;
    private TagSubscription subscription;
    private ScheduledFuture<?> reporter;

    public OpcUaRedundancyWatcher(GatewayConnection gateway, RedundancyMonitor monitor, long pollMillis) {
        this.gateway = gateway;
        this.monitor = monitor;
        this.pollMillis = pollMillis;
    }

    @Override
    protected void doStart() {
        List<TagSettings> tags = List.of(new TagSettings(ACTIVITY_LEVEL, 0, null), new TagSettings(ROLE, 0, null));
        subscription = new TagSubscription(gateway, "redundancy", tags, 0, SubscriptionOptions.DEFAULT, this::onValue);
        subscription.start();
        reporter = gateway.executor().scheduleWithFixedDelay(this::report, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (reporter != null) {
            reporter.cancel(false);
        }
        if (subscription != null) {
            subscription.stop();
        }
    }

    private void onValue(TagSettings tag, DataValue value) {
        Object raw = value.getStatusCode().isGood() ? value.getValue().getValue() : null;
        String text = raw == null ? null : raw.toString();
        if (ACTIVITY_LEVEL.equals(tag.path())) {
            level = text;
        } else {
            role = text;
        }
        report();
    }

    private void report() {
        String currentRole = role;
        String currentLevel = level;
        Instant now = Instant.now();
        if (!gateway.isSessionActive() || !subscription.isSubscribed()) {
            monitor.observe(GatewayRedundancy.unknown("no OPC UA session to " + gateway.settings().endpoint(), now));
        } else if (currentRole == null || currentLevel == null) {
            monitor.observe(GatewayRedundancy.unknown("[System]Gateway/Redundancy tags not readable", now));
        } else {
            monitor.observe(new GatewayRedundancy(currentRole, currentLevel, now, null));
        }
    }
}
