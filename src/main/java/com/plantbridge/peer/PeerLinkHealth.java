package com.plantbridge.peer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of this node's own exchanges with its configured peer. "The secrets differ" (or the
 * clocks, or the versions) is concluded only here, after {@value #FAILURES_FOR_ERROR} consecutive
 * exchanges failed authentication over at least {@link #ERROR_AFTER}, never from what an inbound
 * request says. The time matters: a peer that is starting answers 404 until its routes are up.
 */
public final class PeerLinkHealth {

    public static final int FAILURES_FOR_ERROR = 3;
    public static final Duration ERROR_AFTER = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PeerLinkHealth.class);

    private final String peerUrl;
    private final Clock clock;
    private int consecutiveFailures;
    private Instant failingSince;
    private String problem = "not asked yet";
    private String error;
    private PeerLinkDiagnosis.Kind errorKind;
    private Long clockOffsetMillis;
    private Instant lastVerified;

    public PeerLinkHealth(String peerUrl, Clock clock) {
        this.peerUrl = peerUrl;
        this.clock = clock;
        this.lastVerified = clock.instant();
    }

    /**
     * How long since an exchange with the peer last verified (since start when none has): a node
     * takes leadership without its peer's consent only after bridge.peer.takeover-after of this.
     */
    public synchronized Duration silentFor() {
        return Duration.between(lastVerified, clock.instant());
    }

    synchronized void verified(Long offsetMillis) {
        lastVerified = clock.instant();
        if (error != null || (problem != null && !"not asked yet".equals(problem))) {
            LOG.info("Peer link to {} works{}", peerUrl, error == null ? "" : " again; it was: " + error);
        }
        consecutiveFailures = 0;
        failingSince = null;
        problem = null;
        error = null;
        errorKind = null;
        clockOffsetMillis = offsetMillis;
    }

    /** The peer could not be reached; says nothing about secrets, clocks or versions. */
    synchronized void unreachable(String what) {
        if (!what.equals(problem)) {
            LOG.warn("Peer link to {}: {}", peerUrl, what);
        }
        problem = what;
    }

    /** An exchange reached the peer but did not authenticate. */
    synchronized void failed(PeerLinkDiagnosis.Cause cause, Long offsetMillis) {
        consecutiveFailures++;
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        problem = cause.text();
        clockOffsetMillis = offsetMillis;
        boolean lasting = consecutiveFailures >= FAILURES_FOR_ERROR && !clock.instant().isBefore(failingSince.plus(ERROR_AFTER));
        if (lasting) {
            if (cause.kind() != errorKind) {
                LOG.error("Peer link to {}: {}. Until this is fixed neither node believes the other: each follows its own gateway"
                        + " and settings are not mirrored", peerUrl, cause.text());
            }
            error = cause.text();
            errorKind = cause.kind();
        }
    }

    /** Why this node's exchanges with its peer keep failing authentication, or null. */
    public synchronized String error() {
        return error;
    }

    /** The last problem of the link (unreachable or not authenticated), null while it works. */
    public synchronized String problem() {
        return problem;
    }

    public synchronized Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("error", error);
        s.put("problem", problem);
        s.put("consecutiveFailures", consecutiveFailures);
        s.put("clockOffsetMillis", clockOffsetMillis);
        return s;
    }
}
