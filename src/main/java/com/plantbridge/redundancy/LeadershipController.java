package com.plantbridge.redundancy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns this node's leadership. It re-decides on every change of its inputs
 * and at least once per poll interval; it takes leadership only after the decision to lead has
 * held for the debounce time, and gives it up at once.
 */
public final class LeadershipController extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipController.class);

    private final CamelContext context;
    private final RedundancyMonitor monitor;
    private final PairSignals pair;
    private final BooleanSupplier enabled;
    private final RedundancyClusterService cluster;
    private final LeadershipFence fence;
    private final Duration debounce;
    private final long tickMillis;
    private ScheduledExecutorService executor;
    private volatile Instant since = Instant.now();
    private volatile String reason = "starting";
    private Instant wantedSince;

    public LeadershipController(CamelContext context, RedundancyMonitor monitor, PairSignals pair, BooleanSupplier enabled,
                                RedundancyClusterService cluster, LeadershipFence fence, Duration debounce, long tickMillis) {
        this.context = context;
        this.monitor = monitor;
        this.pair = pair;
        this.enabled = enabled;
        this.cluster = cluster;
        this.fence = fence;
        this.debounce = debounce;
        this.tickMillis = tickMillis;
    }

    public boolean isLeader() {
        return fence.isLeader();
    }

    public Instant since() {
        return since;
    }

    public String reason() {
        return reason;
    }

    /** Re-decide now (an input changed). */
    public void poke() {
        ScheduledExecutorService current = executor;
        if (current != null && !current.isShutdown()) {
            current.execute(this::decide);
        }
    }

    @Override
    protected void doStart() {
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "leadership");
        executor.scheduleWithFixedDelay(this::decide, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        context.getExecutorServiceManager().shutdownNow(executor);
        executor.awaitTermination(5, TimeUnit.SECONDS);
        executor = null;
        if (fence.isLeader()) {
            change(false, "node stopping");
        }
    }

    private void decide() {
        try {
            LeadershipPolicy.Decision decision = LeadershipPolicy.decide(monitor.current(), pair.peerView(), enabled.getAsBoolean(), pair.errorPreventingLeadership());
            if (!decision.lead()) {
                wantedSince = null;
                if (fence.isLeader()) {
                    change(false, decision.reason());
                }
                reason = decision.reason();
                return;
            }
            if (fence.isLeader()) {
                reason = decision.reason();
                return;
            }
            Instant now = Instant.now();
            if (wantedSince == null) {
                // The debounce is about the Active signal holding, which it may have done while the
                // peer's older view still said "both Active": count from when it was first seen.
                wantedSince = monitor.activeSince().filter(t -> t.isBefore(now)).orElse(now);
            }
            Duration held = Duration.between(wantedSince, now);
            if (held.compareTo(debounce) >= 0) {
                change(true, decision.reason());
            } else {
                reason = "waiting " + debounce.minus(held).toMillis() + " ms for the Active signal to hold";
                executor.schedule(this::decide, debounce.minus(held).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.error("Leadership decision failed; giving up leadership to be safe", e);
            if (fence.isLeader()) {
                change(false, "decision failed: " + e);
            }
        }
    }

    private void change(boolean value, String why) {
        if (value) {
            fence.lead();
        } else {
            fence.stand();
        }
        since = Instant.now();
        reason = why;
        LOG.info("Leadership {}: {}", value ? "taken" : "given up", why);
        try {
            cluster.setLeader(value);
        } catch (Exception e) {
            LOG.error("Leadership change could not reach the cluster views", e);
        }
    }
}
