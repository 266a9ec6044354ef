package com.plantbridge.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;

/**
 * The senders' watchdog (readiness): DOWN while a connector's sender has delivered, quarantined or
 * settled nothing for longer than maintainx.watchdog.stall-after although readings wait. A node
 * once deadlocked in a settings change said OK and UP while nothing moved; this check says which
 * connector is stuck, in what state, with how many readings, since when.
 */
public final class SenderProgressHealthCheck extends AbstractHealthCheck {

    private final MaintainxSenders senders;
    private final Duration stallAfter;

    public SenderProgressHealthCheck(MaintainxSenders senders, Duration stallAfter) {
        super("bridge", "maintainx-sender-progress");
        this.senders = senders;
        this.stallAfter = stallAfter;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        List<String> stalls = new ArrayList<>();
        Instant now = Instant.now();
        for (ConnectorSender sender : senders.all()) {
            sender.stall(stallAfter, now).ifPresent(stall -> {
                String text = "Connector " + stall.connector() + ": no progress since " + stall.since() + " with " + stall.readingsWaiting()
                        + " readings waiting (state " + stall.state() + ", " + stall.activity() + ")";
                stalls.add(text);
                builder.detail(stall.connector() + ".stalledSince", stall.since().toString());
                builder.detail(stall.connector() + ".readingsWaiting", stall.readingsWaiting());
                builder.detail(stall.connector() + ".state", stall.state().name());
                builder.detail(stall.connector() + ".activity", stall.activity().name());
            });
        }
        if (!stalls.isEmpty()) {
            builder.message(String.join("; ", stalls));
            builder.down();
        }
    }
}
