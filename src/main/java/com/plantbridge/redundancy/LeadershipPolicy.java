package com.plantbridge.redundancy;

import java.util.Optional;

import com.plantbridge.peer.PeerView;

/** Whether this node should send, and why: a pure function of what it knows now. */
public final class LeadershipPolicy {

    public record Decision(boolean lead, String reason) {
    }

    private LeadershipPolicy() {
    }

    public static Decision decide(GatewayRedundancy local, Optional<PeerView> peer, boolean enabled, String errorState) {
        if (!enabled) {
            return new Decision(false, "module disabled on this node");
        }
        if (errorState != null) {
            return new Decision(false, "redundancy error: " + errorState);
        }
        if (!local.isKnown()) {
            return new Decision(false, "gateway state unknown: " + local.problem());
        }
        if (!local.isActive()) {
            return new Decision(false, "gateway is " + local.activityLevel());
        }
        if (peer.isPresent() && !local.isMaster()) {
            PeerView other = peer.get();
            if ("Active".equals(other.activityLevel()) && "Master".equals(other.role()) && other.enabled()) {
                return new Decision(false, "both gateways Active; the Master's node (" + other.node() + ") sends");
            }
        }
        return new Decision(true, "gateway is Active (" + local.role() + ")");
    }
}
