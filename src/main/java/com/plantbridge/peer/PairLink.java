package com.plantbridge.peer;

import java.util.Optional;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.redundancy.PairSignals;
import com.plantbridge.redundancy.RedundancyMonitor;

/** The link to the other node of a redundant pair (bridge.peer.url), or its absence. */
public final class PairLink implements PairSignals {

    private final RedundancyMonitor monitor;
    private final PeerViewRoutes peer;
    private final PeerTrust trust;
    private final SettingsMirror mirror;

    PairLink(RedundancyMonitor monitor, PeerViewRoutes peer, PeerTrust trust, SettingsMirror mirror) {
        this.monitor = monitor;
        this.peer = peer;
        this.trust = trust;
        this.mirror = mirror;
    }

    static PairLink none(RedundancyMonitor monitor) {
        return new PairLink(monitor, null, null, null);
    }

    @Override
    public Optional<PeerView> peerView() {
        return peer == null ? Optional.empty() : peer.current();
    }

    /** A Backup's node in a redundancy error state must not lead with settings it cannot trust. */
    @Override
    public String errorPreventingLeadership() {
        return mirror != null && "Backup".equals(monitor.current().role()) ? mirror.errorState(trust.recentFailure()) : null;
    }

    /** Why the pair is in a redundancy error state, on either node, or null. */
    public String redundancyError() {
        return mirror == null ? null : mirror.errorState(trust.recentFailure());
    }

    public Optional<PeerViewRoutes> peer() {
        return Optional.ofNullable(peer);
    }

    public Optional<SettingsMirror> mirror() {
        return Optional.ofNullable(mirror);
    }
}
