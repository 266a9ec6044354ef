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
 * A state older than {@code staleAfter} counts as unknown: a node that cannot see its gateway
 * must not keep sending on an old "Active".
 */
public final class RedundancyMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(RedundancyMonitor.class);

    private final RedundancySource source;
    private final Duration pollInterval;
    private final Duration staleAfter;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile GatewayRedundancy last;
    private volatile Instant activeSince;

    public RedundancyMonitor(RedundancySource source, Duration pollInterval, Duration staleAfter, Clock clock) {
        this.source = source;
        this.pollInterval = pollInterval;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.last = GatewayRedundancy.unknown("no answer from the gateway yet", clock.instant());
    }

    public RedundancySource source() {
        return source;
    }

    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void observe(GatewayRedundancy state) {
        GatewayRedundancy previous;
        synchronized (this) {
            previous = last;
            if (state.isActive()) {
                if (activeSince == null) {
                    activeSince = state.observedAt();
                }
            } else {
                activeSince = null;
            }
            last = state;
        }
        if (!same(previous, state)) {
            if (state.isKnown()) {
                LOG.info("Gateway redundancy ({}): role {}, {}", source.name().toLowerCase(), state.role(), state.activityLevel());
            } else {
                LOG.warn("Gateway redundancy ({}) unknown: {}", source.name().toLowerCase(), state.problem());
            }
            listeners.forEach(Runnable::run);
        }
    }

    /** The last state, or unknown when it is too old to trust. */
    public GatewayRedundancy current() {
        GatewayRedundancy state = last;
        Instant now = clock.instant();
        if (state.isKnown() && Duration.between(state.observedAt(), now).compareTo(staleAfter) > 0) {
            return GatewayRedundancy.unknown("no fresh state for " + staleAfter.toMillis() + " ms (last: " + state.activityLevel() + ")", now);
        }
        return state;
    }

    /** When the current Active streak was first seen; empty when the gateway is not Active. */
    public Optional<Instant> activeSince() {
        return current().isActive() ? Optional.ofNullable(activeSince) : Optional.empty();
    }

    /**
     * Values whose source time is before this instant were observed while the gateway was not yet
     * Active here (with one poll of margin, as the switch happened somewhere within the last poll).
     */
    public Instant alreadyHandledBefore() {
        return activeSince().map(t -> t.minus(pollInterval)).orElse(null);
    }

    private static boolean same(GatewayRedundancy a, GatewayRedundancy b) {
        return a.role().equals(b.role()) && a.activityLevel().equals(b.activityLevel()) && a.isKnown() == b.isKnown();
    }
}
