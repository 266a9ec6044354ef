package com.plantbridge.redundancy;

import java.time.Duration;

/**
 * The peer's answer to "hand leadership over": granted (it has stopped and waited for its captures
 * under way), refused (with why), or no answer that could be verified (with how long the peer has
 * been unreachable).
 */
public record HandoverResult(Outcome outcome, String reason, Duration sincePeerContact) {

    public enum Outcome { NO_PEER, GRANTED, REFUSED, UNREACHABLE }

    public static HandoverResult noPeer() {
        return new HandoverResult(Outcome.NO_PEER, "no peer configured", Duration.ZERO);
    }

    public static HandoverResult granted() {
        return new HandoverResult(Outcome.GRANTED, "handed over", Duration.ZERO);
    }

    public static HandoverResult refused(String reason) {
        return new HandoverResult(Outcome.REFUSED, reason, Duration.ZERO);
    }

    public static HandoverResult unreachable(String reason, Duration sincePeerContact) {
        return new HandoverResult(Outcome.UNREACHABLE, reason, sincePeerContact);
    }
}
