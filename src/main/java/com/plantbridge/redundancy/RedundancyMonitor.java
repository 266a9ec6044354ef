package com.plantbridge.redundancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest redundancy state of this node's own gateway, from whichever source is configured.
 *
 * <p>A read that fails (timeout, connection reset, HTTP 5xx, an answer that cannot be parsed, no
 * OPC UA session) is logged and retried, not acted on: on a busy 2-core host a single gwinfo read
 * that timed out once cost a node its leadership and 5,000 readings. The state becomes unknown only
 * on an explicit answer that is not Active, or when no read has succeeded for {@code staleAfter}:
 * a node that cannot see its gateway must not keep sending on an old "Active" for longer.
 *
 * <p>A source that keeps failing gets one WARN naming where it reads and the error when it starts
 * failing, again at most once a minute while it lasts, and one INFO when it reads again.
 */
public final class RedundancyMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(RedundancyMonitor.class);
    static final Duration REPEAT_WARNING = Duration.ofMinutes(1);

    private final RedundancySource source;
    private final String location;
    private final Duration pollInterval;
    private final Duration staleAfter;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> seenAgainListeners = new CopyOnWriteArrayList<>();
    private final Instant startedAt;
    private GatewayRedundancy lastRead;
    private Instant activeSince;
    private ReadFailure failure;
    private boolean reportedStale;

    /** A source failing since {@code since}; {@code reads} failed reads so far. */
    public record ReadFailure(String problem, Instant since, long reads, Instant warnedAt) {
    }

    /**
     * @param location where the state is read, as an operator would look for it (a URL, an OPC UA node)
     */
    public RedundancyMonitor(RedundancySource source, String location, Duration pollInterval, Duration staleAfter, Clock clock) {
        this.source = source;
        this.location = location;
        this.pollInterval = pollInterval;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public RedundancySource source() {
        return source;
    }

    public String location() {
        return location;
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    /** Called after the effective state may have changed (role, level, known or not), and when reads start failing. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Called when a read succeeds after the state was unknown: the gateway is reachable again, so
     * its OPC UA server is worth a connection attempt at once.
     */
    public void onGatewaySeenAgain(Runnable listener) {
        seenAgainListeners.add(listener);
    }

    /**
     * One read of the source. A known state is a successful read; an unknown one is a failed read
     * with its problem, which counts only once no read has succeeded for {@code staleAfter}.
     */
    public void observe(GatewayRedundancy state) {
        if (state.isKnown()) {
            succeeded(state);
        } else {
            failed(state.problem(), state.observedAt());
        }
    }

    private void succeeded(GatewayRedundancy state) {
        GatewayRedundancy before;
        ReadFailure ended;
        synchronized (this) {
            before = current();
            ended = failure;
            failure = null;
            reportedStale = false;
            if (state.isActive()) {
                if (activeSince == null || !before.isKnown()) {
                    activeSince = state.observedAt();
                }
            } else {
                activeSince = null;
            }
            lastRead = state;
        }
        if (ended != null) {
            LOG.info("Gateway redundancy ({}) readable again from {} after {} failed reads in {} ms", sourceName(), location,
                    ended.reads(), Duration.between(ended.since(), state.observedAt()).toMillis());
        }
        if (!before.isKnown()) {
            seenAgainListeners.forEach(Runnable::run);
        }
        if (!same(before, state)) {
            LOG.info("Gateway redundancy ({}): role {}, {}", sourceName(), state.role(), state.activityLevel());
            listeners.forEach(Runnable::run);
        }
    }

    private void failed(String problem, Instant at) {
        boolean becameStale = false;
        boolean firstFailure = false;
        synchronized (this) {
            if (failure == null) {
                firstFailure = true;
                failure = new ReadFailure(problem, at, 1, at);
                LOG.warn("Gateway redundancy ({}) cannot be read from {}: {}; retrying every {} ms, the state counts as unknown after {} ms"
                        + " without a successful read", sourceName(), location, problem, pollInterval.toMillis(), staleAfter.toMillis());
            } else if (Duration.between(failure.warnedAt(), at).compareTo(REPEAT_WARNING) >= 0) {
                failure = new ReadFailure(problem, failure.since(), failure.reads() + 1, at);
                LOG.warn("Gateway redundancy ({}) still cannot be read from {} since {} ({} failed reads): {}", sourceName(), location,
                        failure.since(), failure.reads(), problem);
            } else {
                failure = new ReadFailure(problem, failure.since(), failure.reads() + 1, failure.warnedAt());
            }
            if (!reportedStale && lastRead != null && !current().isKnown()) {
                reportedStale = true;
                becameStale = true;
            }
        }
        // A first failed read changes no decision by itself, but the peer's view may now: its gateway saying Active ends
        // this node's leadership without waiting for stale-after.
        if (becameStale || firstFailure) {
            listeners.forEach(Runnable::run);
        }
    }

    /** The last state read, or unknown when no read has succeeded for {@code staleAfter} (or ever). */
    public synchronized GatewayRedundancy current() {
        Instant now = clock.instant();
        GatewayRedundancy state = lastRead;
        if (state == null) {
            return GatewayRedundancy.unknown(failure != null ? failure.problem() : "no answer from the gateway yet", now);
        }
        Duration age = Duration.between(state.observedAt(), now);
        if (age.compareTo(staleAfter) > 0) {
            return GatewayRedundancy.unknown("no successful read from " + location + " for " + age.toMillis() + " ms"
                    + (failure == null ? "" : " (last error: " + failure.problem() + ")") + "; last state " + state.activityLevel(), now);
        }
        return state;
    }

    /**
     * Why the source cannot be read right now, for status and readiness; empty while reads succeed.
     * A node that has never read its state since it started says so too.
     */
    public synchronized Optional<ReadFailure> readFailure() {
        if (failure == null && lastRead == null) {
            return Optional.of(new ReadFailure("no answer from " + location + " yet", startedAt, 0, startedAt));
        }
        return Optional.ofNullable(failure);
    }

    /** True while the last read of the gateway failed (its state is then the last one read, until stale-after). */
    public synchronized boolean isReadFailing() {
        return failure != null && lastRead != null;
    }

    /** When the current Active streak was first seen; empty when the gateway is not Active. */
    public synchronized Optional<Instant> activeSince() {
        return current().isActive() ? Optional.ofNullable(activeSince) : Optional.empty();
    }


    private String sourceName() {
        return source.name().toLowerCase();
    }

    private static boolean same(GatewayRedundancy a, GatewayRedundancy b) {
        return a.role().equals(b.role()) && a.activityLevel().equals(b.activityLevel()) && a.isKnown() == b.isKnown();
    }
}
