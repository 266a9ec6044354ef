package com.plantbridge.redundancy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.peer.PeerView;

/**
 * The one thread that owns this node's leadership. It re-decides on every change of its inputs
 * and at least once per poll interval; it takes leadership only after the decision to lead has
 * held for the debounce time, and gives it up at once.
 */
public final class LeadershipController extends ServiceSupport implements ConnectorSender.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipController.class);

    private final RedundancyMonitor monitor;
    private final Supplier<Optional<PeerView>> peer;
    private final BooleanSupplier enabled;
    private final Supplier<String> errorState;
    private final RedundancyClusterService cluster;
    private final Duration debounce;
    private final long tickMillis;
    private ScheduledExecutorService executor;
    private volatile boolean leader;
    private volatile long term;
    private volatile Instant since = Instant.now();
    private volatile String reason = "starting";
    private Instant wantedSince;

    public LeadershipController(RedundancyMonitor monitor, Supplier<Optional<PeerView>> peer, BooleanSupplier enabled,
                                Supplier<String> errorState, RedundancyClusterService cluster, Duration debounce, long tickMillis) {
        this.monitor = monitor;
        this.peer = peer;
        this.enabled = enabled;
        this.errorState = errorState;
        this.cluster = cluster;
        this.debounce = debounce;
        this.tickMillis = tickMillis;
    }

    /** The fence: checked where readings enter the outbox, not only where tags are consumed. */
    @Override
    public boolean isLeader() {
        return leader;
    }

    /** Counts the times this node took leadership since it started; stored with each reading. */
    @Override
    public long term() {
        return term;
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
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leadership");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::decide, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        executor = null;
        if (leader) {
            change(false, "node stopping");
        }
    }

    private void decide() {
        try {
            LeadershipPolicy.Decision decision = LeadershipPolicy.decide(monitor.current(), peer.get(), enabled.getAsBoolean(), errorState.get());
            if (!decision.lead()) {
                wantedSince = null;
                if (leader) {
                    change(false, decision.reason());
                }
                reason = decision.reason();
                return;
            }
            if (leader) {
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
            if (leader) {
                change(false, "decision failed: " + e);
            }
        }
    }

    private void change(boolean value, String why) {
        if (value) {
            term++;
        }
        leader = value;
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
