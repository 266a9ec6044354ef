package com.plantbridge.ops;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;

/**
 * The senders' watchdog (readiness): DOWN while a connector's sender has delivered, quarantined or
 * settled nothing for longer than maintainx.watchdog.stall-after although readings wait. A node
 * once deadlocked in a settings change said OK and UP while nothing moved; this check says which
 * connector is stuck, in what state, with how many readings, since when (also in status as
 * {@code stalledSince}).
 */
public final class SenderProgressHealthCheck extends ReadinessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SenderProgressHealthCheck.class);

    private final MaintainxSenders senders;
    private Set<String> reported = Set.of();

    public SenderProgressHealthCheck(MaintainxSenders senders) {
        super("maintainx-sender-progress");
        this.senders = senders;
    }

    @Override
    protected void inspect(HealthCheckResultBuilder details, List<String> problems) {
        Set<String> stalled = new TreeSet<>();
        for (ConnectorSender sender : senders.all()) {
            senders.stall(sender).ifPresent(stall -> {
                stalled.add(stall.connector());
                problems.add("Connector " + stall.connector() + ": no progress since " + stall.since() + " with " + stall.readingsWaiting()
                        + " readings waiting (state " + stall.state() + ", " + stall.activity() + ")");
                details.detail(stall.connector() + ".stalledSince", stall.since().toString());
                details.detail(stall.connector() + ".readingsWaiting", stall.readingsWaiting());
                details.detail(stall.connector() + ".state", stall.state().name());
                details.detail(stall.connector() + ".activity", stall.activity().name());
            });
        }
        logChange(stalled, problems);
    }

    /** One line when a connector starts or stops being reported (as often as the check is asked). */
    private synchronized void logChange(Set<String> stalled, List<String> stalls) {
        for (String text : stalls) {
            String connector = text.substring("Connector ".length(), text.indexOf(':'));
            if (!reported.contains(connector)) {
                LOG.warn("Sender watchdog: {}", text);
            }
        }
        for (String connector : reported) {
            if (!stalled.contains(connector)) {
                LOG.info("Sender watchdog: connector {} makes progress again", connector);
            }
        }
        reported = Set.copyOf(stalled);
    }
}
