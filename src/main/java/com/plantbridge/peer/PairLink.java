package com.plantbridge.peer;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RoutesBuilder;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.redundancy.HandoverClaim;
import com.plantbridge.redundancy.HandoverResult;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.PairSignals;
import com.plantbridge.redundancy.RedundancyMonitor;

/** The link to the other node of a redundant pair (bridge.peer.url), or its absence. */
public final class PairLink implements PairSignals {

    private final RedundancyMonitor monitor;
    private final PeerViewRoutes peer;
    private final PeerTrust trust;
    private final SettingsMirror mirror;
    private final PeerSignature signature;
    private final HandoverClient handover;

    PairLink(RedundancyMonitor monitor, PeerViewRoutes peer, PeerTrust trust, SettingsMirror mirror, PeerSignature signature,
             HandoverClient handover) {
        this.monitor = monitor;
        this.peer = peer;
        this.trust = trust;
        this.mirror = mirror;
        this.signature = signature;
        this.handover = handover;
    }

    static PairLink none(RedundancyMonitor monitor) {
        return new PairLink(monitor, null, null, null, null, null);
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

    @Override
    public HandoverResult requestHandover(HandoverClaim claim) {
        return handover == null ? HandoverResult.noPeer() : handover.request(claim);
    }

    /** The route answering the peer's handover requests, once this node's leadership exists; none without a peer. */
    public Optional<RoutesBuilder> handoverAnswer(LeadershipController leadership, ObjectMapper json) {
        return signature == null ? Optional.empty() : Optional.of(new HandoverRoutes(signature, leadership, json));
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
