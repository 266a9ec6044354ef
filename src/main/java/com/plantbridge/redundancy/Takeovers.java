package com.plantbridge.redundancy;

import java.time.Duration;
import java.time.Instant;

/**
 * Told how this node is about to take leadership, before it sends anything: with the peer's
 * grant, without a peer, or without an answer from it. What the node must know before it sends
 * (what the old leader delivered, and until when it may have captured) is the pipeline's business;
 * this interface is how redundancy reaches it.
 */
public interface Takeovers {

    /**
     * @param outcome      how leadership was obtained (GRANTED, NO_PEER or UNREACHABLE)
     * @param at           when (this node's clock)
     * @param peerSilentFor how long the peer had not answered a verified exchange (UNREACHABLE)
     * @param activeSince  when this node first saw its gateway Active in the current streak, or null
     */
    record Takeover(HandoverResult.Outcome outcome, Instant at, Duration peerSilentFor, Instant activeSince) {
    }

    /** Called before leadership is taken; may block briefly (e.g. to fetch what the peer knows). */
    void beforeLeading(Takeover takeover);

    Takeovers NONE = takeover -> {
    };
}
