package com.plantbridge.redundancy;

import java.time.Duration;
import java.util.Map;

import com.plantbridge.maintainx.MaintainxClient.LastReading;

/**
 * The peer's answer to "hand leadership over": granted (it has stopped, and this is what it captured
 * and will deliver, per connector and meter), refused (with why), or no answer that could be
 * verified (with how long the peer has been unreachable).
 */
public record HandoverResult(Outcome outcome, String reason, Map<String, Map<Long, LastReading>> captured, Duration sincePeerContact) {

    public enum Outcome { NO_PEER, GRANTED, REFUSED, UNREACHABLE }

    public static HandoverResult noPeer() {
        return new HandoverResult(Outcome.NO_PEER, "no peer configured", Map.of(), Duration.ZERO);
    }

    public static HandoverResult granted(Map<String, Map<Long, LastReading>> captured) {
        return new HandoverResult(Outcome.GRANTED, "handed over", captured, Duration.ZERO);
    }

    public static HandoverResult refused(String reason) {
        return new HandoverResult(Outcome.REFUSED, reason, Map.of(), Duration.ZERO);
    }

    public static HandoverResult unreachable(String reason, Duration sincePeerContact) {
        return new HandoverResult(Outcome.UNREACHABLE, reason, Map.of(), sincePeerContact);
    }
}
