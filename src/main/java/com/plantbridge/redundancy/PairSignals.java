package com.plantbridge.redundancy;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RoutesBuilder;

/** What the other node of a redundant pair contributes to this node's leadership. */
public interface PairSignals {

    /** The peer's latest verified view, when fresh. */
    Optional<PeerView> peerView();

    /** Why this node must not lead because of the pair (e.g. a Backup's node without trusted settings), or null. */
    String errorPreventingLeadership();

    /**
     * Asks the peer's node to stop leading and say what it captured; blocks for at most the peer
     * link's timeout. Without a peer: {@link HandoverResult#noPeer()}.
     */
    HandoverResult requestHandover(HandoverClaim claim);

    /** Calls the listener whenever a fresh view of the peer arrives. */
    default void onPeerView(Runnable listener) {
    }

    /** How long the peer's node has not answered a verified exchange; zero without a peer. */
    default java.time.Duration peerSilentFor() {
        return java.time.Duration.ZERO;
    }

    /** This node's gateway went Active while the peer's view holds it back: look at the peer more often for a while. */
    default void refreshPeerViewSoon() {
    }

    /** The route answering the peer's handover requests with this node's leadership; none without a peer. */
    default Optional<RoutesBuilder> handoverAnswer(LeadershipController leadership, ObjectMapper json) {
        return Optional.empty();
    }

    /** A node without a peer: it follows its own gateway. */
    PairSignals NONE = new PairSignals() {
        @Override
        public Optional<PeerView> peerView() {
            return Optional.empty();
        }

        @Override
        public String errorPreventingLeadership() {
            return null;
        }

        @Override
        public HandoverResult requestHandover(HandoverClaim claim) {
            return HandoverResult.noPeer();
        }
    };
}
