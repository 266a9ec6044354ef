package com.plantbridge.mirror;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RoutesBuilder;

import com.plantbridge.peer.HandoverClient;
import com.plantbridge.peer.HandoverRoutes;
import com.plantbridge.peer.PeerLink;
import com.plantbridge.peer.PeerViewRoutes;
import com.plantbridge.redundancy.HandoverClaim;
import com.plantbridge.redundancy.HandoverResult;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.PairSignals;
import com.plantbridge.redundancy.PeerView;
import com.plantbridge.redundancy.RedundancyMonitor;

/** The link to the other node of a redundant pair (bridge.peer.url), or its absence. */
public final class PairLink implements PairSignals {

    private final RedundancyMonitor monitor;
    private final PeerViewRoutes peer;
    private final PeerLink link;
    private final SettingsMirror mirror;
    private final HandoverClient handover;

    PairLink(RedundancyMonitor monitor, PeerViewRoutes peer, PeerLink link, SettingsMirror mirror, HandoverClient handover) {
        this.monitor = monitor;
        this.peer = peer;
        this.link = link;
        this.mirror = mirror;
        this.handover = handover;
    }

    static PairLink none(RedundancyMonitor monitor) {
        return new PairLink(monitor, null, null, null, null);
    }

    @Override
    public Optional<PeerView> peerView() {
        return peer == null ? Optional.empty() : peer.current();
    }

    /**
     * A Backup's node without settings from the Master's node must not lead with a file it cannot
     * trust. Peer link, version and refusal errors never block it: an outsider could cause them, and
     * failover must happen.
     */
    @Override
    public String errorPreventingLeadership() {
        return mirror == null ? null : mirror.leadershipBlocker();
    }

    @Override
    public HandoverResult requestHandover(HandoverClaim claim) {
        return handover == null ? HandoverResult.noPeer() : handover.request(claim);
    }

    @Override
    public void onPeerView(Runnable listener) {
        if (peer != null) {
            peer.onView(view -> listener.run());
        }
    }

    @Override
    public void refreshPeerViewSoon() {
        if (peer != null) {
            peer.refreshSoon();
        }
    }

    @Override
    public java.time.Duration peerSilentFor() {
        return link == null ? java.time.Duration.ZERO : link.health().silentFor();
    }

    /** The route answering the peer's handover requests, once this node's leadership exists; none without a peer. */
    @Override
    public Optional<RoutesBuilder> handoverAnswer(LeadershipController leadership, ObjectMapper json) {
        return link == null ? Optional.empty() : Optional.of(new HandoverRoutes(link, leadership, json));
    }

    /** Why the pair is in a redundancy error state, on either node, or null. */
    public String redundancyError() {
        return mirror == null ? null : mirror.errorState(link.health().error());
    }

    public Optional<PeerViewRoutes> peer() {
        return Optional.ofNullable(peer);
    }

    public Optional<PeerLink> peerLink() {
        return Optional.ofNullable(link);
    }

    public Optional<SettingsMirror> mirror() {
        return Optional.ofNullable(mirror);
    }
}
