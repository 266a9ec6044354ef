package com.plantbridge.redundancy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides this node's leadership. It re-decides on every change of its inputs
 * and at least once per poll interval; it gives leadership up at once, and takes it only after the
 * decision to lead has held for the debounce time AND the peer's node has confirmed, signed, that
 * it stopped (or has been unreachable for bridge.peer.takeover-after). So the two nodes of a pair
 * never send at the same time while they can talk, however the gateways flap.
 *
 * <p>Exclusive because a node leads only with a grant, and a node that grants stands down first
 * and counts the grant: a takeover of its own that was on its way when it granted is dropped.
 *
 * <p>The fence changes under this object's lock; the routes follow on a thread of their own
 * ({@code leadership-routes}), in order, to the fence's latest state. Measured at 20 x 6,000 tags:
 * starting or stopping the connector routes under the lock took up to 3.8 s (a route's stop waits
 * for the subscriptions still being created on the gateway's thread), and a handover request from
 * the peer waited for the lock all that time, so the new leader led 4.3 s after the switch.
 */
public final class LeadershipController extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipController.class);
    /** How long a granting node waits for captures already under way to reach its outbox. */
    private static final Duration QUIET_WAIT = Duration.ofSeconds(5);

    private final CamelContext context;
    private final String nodeName;
    private final RedundancyMonitor monitor;
    private final PairSignals pair;
    private final BooleanSupplier enabled;
    private final BooleanSupplier capturing;
    private final RedundancyClusterService cluster;
    private final LeadershipFence fence;
    private final Takeovers takeovers;
    private final Runnable flushCaptured;
    private final Duration debounce;
    private final Duration takeoverAfter;
    private final long tickMillis;
    private ScheduledExecutorService executor;
    private java.util.concurrent.ExecutorService routes;
    private volatile Instant since = Instant.now();
    private volatile String reason = "starting";
    private Instant wantedSince;
    private long grants;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private volatile Duration lastTakeover;

    public LeadershipController(CamelContext context, String nodeName, RedundancyMonitor monitor, PairSignals pair, BooleanSupplier enabled,
                                BooleanSupplier capturing, RedundancyClusterService cluster, LeadershipFence fence, Takeovers takeovers,
                                Runnable flushCaptured, Duration debounce, Duration takeoverAfter, long tickMillis) {
        this.context = context;
        this.nodeName = nodeName;
        this.monitor = monitor;
        this.pair = pair;
        this.enabled = enabled;
        this.capturing = capturing;
        this.cluster = cluster;
        this.fence = fence;
        this.takeovers = takeovers;
        this.flushCaptured = flushCaptured;
        this.debounce = debounce;
        this.takeoverAfter = takeoverAfter;
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

    /** Leadership taken or given up since the node started. */
    public long changes() {
        return changes.get();
    }

    /** How long the last takeover took, from this node's gateway going Active to this node leading; empty before the first. */
    public Optional<Duration> lastTakeover() {
        return Optional.ofNullable(lastTakeover);
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
        routes = context.getExecutorServiceManager().newSingleThreadExecutor(this, "leadership-routes");
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "leadership");
        executor.scheduleWithFixedDelay(this::decide, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        context.getExecutorServiceManager().shutdownNow(executor);
        executor.awaitTermination(5, TimeUnit.SECONDS);
        executor = null;
        // A route start under way ends before the stop goes on (see StopLeadershipFirst); later changes apply on this thread.
        java.util.concurrent.ExecutorService following = routes;
        routes = null;
        context.getExecutorServiceManager().shutdown(following);
        if (!following.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("The connector routes had not followed the last leadership change after 30 s; stopping anyway");
        }
        synchronized (this) {
            if (fence.isLeader()) {
                // As at a handover: the open minimum-interval windows go out while this node still leads.
                flushCaptured.run();
                change(false, "node stopping");
            }
        }
    }

    /**
     * The peer's node wants to lead. It gets leadership unless this node should keep it given what
     * the peer says of itself (e.g. both gateways Active and this is the Master's node). A grant
     * closes this node's open minimum-interval windows while it still leads, stands down and waits
     * for the captures under way, so that what it then tells the peer it knows is complete.
     */
    public HandoverResult onHandoverRequest(HandoverClaim claim) throws InterruptedException {
        synchronized (this) {
            LeadershipPolicy.Decision mine = LeadershipPolicy.decide(monitor.current(), monitor.isReadFailing(), Optional.of(claim.asPeerView(Instant.now())),
                    enabled.getAsBoolean(), pair.errorPreventingLeadership());
            if (mine.lead()) {
                return HandoverResult.refused("node " + nodeName + " keeps leading: " + mine.reason());
            }
            if (fence.isLeader() && !claim.capturing() && capturing.getAsBoolean() && monitor.current().isActive()) {
                // Failback: the Master's gateway is Active again but its node's OPC UA session is still
                // reconnecting; handing over now would leave nobody capturing until it is back.
                return HandoverResult.refused("node " + nodeName + " keeps capturing until node " + claim.node() + "'s OPC UA session is up");
            }
            grants++;
            wantedSince = null;
            if (fence.isLeader()) {
                flushCaptured.run();
                change(false, "handed over to node " + claim.node() + " (" + claim.role() + " " + claim.activityLevel() + ")");
            }
        }
        long quietFrom = System.nanoTime();
        if (!fence.awaitQuiet(QUIET_WAIT)) {
            LOG.warn("Handover to node {}: captures still on their way after {} s; the new leader may send some of their values again",
                    claim.node(), QUIET_WAIT.toSeconds());
        }
        LOG.info("Handover to node {} granted; captures under way reached the outbox in {} ms", claim.node(),
                (System.nanoTime() - quietFrom) / 1_000_000);
        return HandoverResult.granted();
    }

    private void decide() {
        try {
            Long grantsBefore = decideLocally();
            if (grantsBefore != null) {
                takeOver(grantsBefore);
            }
        } catch (RuntimeException e) {
            LOG.error("Leadership decision failed; giving up leadership to be safe", e);
            synchronized (this) {
                if (fence.isLeader()) {
                    change(false, "decision failed: " + e);
                }
            }
        }
    }

    /** Stands down or keeps leading as the policy says; returns the grant count when it is time to take over, else null. */
    private synchronized Long decideLocally() {
        LeadershipPolicy.Decision decision = LeadershipPolicy.decide(monitor.current(), monitor.isReadFailing(), pair.peerView(), enabled.getAsBoolean(),
                pair.errorPreventingLeadership());
        if (!decision.lead()) {
            if (heldBackByAStalePeerView()) {
                pair.refreshPeerViewSoon();
            }
            wantedSince = null;
            if (fence.isLeader()) {
                change(false, decision.reason());
            }
            reason = decision.reason();
            return null;
        }
        if (fence.isLeader()) {
            if (monitor.isReadFailing()) {
                pair.refreshPeerViewSoon();   // the peer's gateway saying Active ends it: a poll interval earlier than the next view
            }
            return null;   // the reason stays why leadership was taken
        }
        Instant now = Instant.now();
        if (wantedSince == null) {
            // The debounce is about the Active signal holding, which it may have done while the
            // peer's older view still said "both Active": count from when it was first seen.
            wantedSince = monitor.activeSince().filter(t -> t.isBefore(now)).orElse(now);
        }
        Duration held = Duration.between(wantedSince, now);
        // The debounce guards against a gateway that flaps; when the peer says its own gateway has let go, Ignition has
        // decided; when the peer's node has been silent past takeover-after, nobody else sends whatever the gateway does.
        boolean evidence = pair.peerView().map(PeerView::releasedOrNotActive).orElse(false)
                || (pair.peerView().isEmpty() && !pair.peerSilentFor().isZero() && pair.peerSilentFor().compareTo(takeoverAfter) >= 0);
        if (held.compareTo(debounce) < 0 && !evidence) {
            reason = "waiting " + debounce.minus(held).toMillis() + " ms for the Active signal to hold";
            long next = debounce.minus(held).toMillis();
            if (pair.peerView().isPresent()) {
                // The peer's next view may be evidence before the debounce ends (its gateway crashed: unreadable); waiting
                // for the regular poll cost up to a poll interval (a gateway crash's handover: 767 ms, evidence seen 250 ms late).
                pair.refreshPeerViewSoon();
            }
            if (pair.peerView().isEmpty() && !pair.peerSilentFor().isZero()) {
                next = Math.min(next, Math.max(50, takeoverAfter.minus(pair.peerSilentFor()).toMillis()));   // the silence may become evidence first
            }
            executor.schedule(this::decide, next, TimeUnit.MILLISECONDS);
            return null;
        }
        reason = decision.reason();
        return grants;
    }

    /** This node's gateway turned Active lately, so the peer's view saying its gateway is Active too may be old news. */
    private boolean heldBackByAStalePeerView() {
        GatewayRedundancy local = monitor.current();
        return local.isActive() && pair.peerView().isPresent()
                && monitor.activeSince().map(t -> t.isAfter(Instant.now().minusMillis(4 * Math.max(tickMillis, debounce.toMillis())))).orElse(false);
    }

    /** Asks the peer (outside the lock: the peer may be asking this node at the same moment) and takes leadership if allowed. */
    private void takeOver(long grantsBefore) {
        GatewayRedundancy local = monitor.current();
        long asked = System.nanoTime();
        HandoverResult result = pair.requestHandover(new HandoverClaim(nodeName, local.role(), local.activityLevel(), enabled.getAsBoolean(),
                capturing.getAsBoolean()));
        synchronized (this) {
            if (!isRunAllowed()) {
                return;   // stopping: the routes are about to shut down (see StopLeadershipFirst)
            }
            if (grants != grantsBefore || fence.isLeader()) {
                reason = "the peer's node asked for leadership at the same time; deciding again";
                return;
            }
            LeadershipPolicy.Decision decision = LeadershipPolicy.decide(monitor.current(), monitor.isReadFailing(), pair.peerView(), enabled.getAsBoolean(),
                    pair.errorPreventingLeadership());
            if (!decision.lead()) {
                reason = decision.reason();
                return;
            }
            long answered = System.nanoTime();
            switch (result.outcome()) {
                case NO_PEER -> {
                    takeovers.beforeLeading(takeover(result));
                    change(true, decision.reason());
                }
                case GRANTED -> {
                    takeovers.beforeLeading(takeover(result));
                    change(true, decision.reason() + "; the peer's node stopped and handed over (answered in " + (answered - asked) / 1_000_000
                            + " ms, ready to lead " + (System.nanoTime() - answered) / 1_000_000 + " ms later)");
                }
                case REFUSED -> reason = "the peer's node keeps leading: " + result.reason();
                case UNREACHABLE -> {
                    // The peer's last fresh view is evidence enough: it had released, or its gateway was not Active or unreadable.
                    boolean released = pair.peerView().map(PeerView::releasedOrNotActive).orElse(false);
                    if (released || result.sincePeerContact().compareTo(takeoverAfter) >= 0) {
                        takeovers.beforeLeading(takeover(result));
                        change(true, decision.reason() + "; the peer's node has not answered for "
                                + result.sincePeerContact().toMillis() + " ms (" + result.reason() + ")");
                    } else {
                        reason = "waiting for the peer's node to confirm it stopped (" + result.reason() + ")";
                    }
                }
                default -> throw new IllegalStateException("unknown handover outcome " + result.outcome());
            }
        }
    }

    private Takeovers.Takeover takeover(HandoverResult result) {
        return new Takeovers.Takeover(result.outcome(), Instant.now(), result.sincePeerContact(), monitor.activeSince().orElse(null));
    }

    private void change(boolean value, String why) {
        if (value) {
            fence.lead();
        } else {
            fence.stand();
        }
        since = Instant.now();
        reason = why;
        changes.incrementAndGet();
        if (value && wantedSince != null) {
            lastTakeover = Duration.between(wantedSince, since);
        }
        LOG.info("Leadership {}: {}", value ? "taken" : "given up", why);
        java.util.concurrent.ExecutorService following = routes;
        if (following == null || following.isShutdown()) {
            followFence();
        } else {
            following.execute(this::followFence);
        }
    }

    /** Starts or stops the routes under leadership (camel-master's views) as the fence stands now: a start and stop queued in a flap cancel out. */
    private void followFence() {
        try {
            cluster.setLeader(fence.isLeader());
        } catch (Exception e) {
            LOG.error("Leadership change could not reach the cluster views", e);
        }
    }
}
