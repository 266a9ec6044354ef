package com.plantbridge.redundancy;

import java.util.Optional;

import com.plantbridge.peer.PeerView;

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

    /** This node's gateway went Active while the peer's view holds it back: look at the peer more often for a while. */
    default void refreshPeerViewSoon() {
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
