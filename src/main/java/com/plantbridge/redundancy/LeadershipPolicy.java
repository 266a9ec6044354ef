package com.plantbridge.redundancy;

import java.util.Optional;

/** Whether this node should send, and why: a pure function of what it knows now. */
public final class LeadershipPolicy {

    public record Decision(boolean lead, String reason) {
    }

    private LeadershipPolicy() {
    }

    public static Decision decide(GatewayRedundancy local, Optional<PeerView> peer, boolean enabled, String errorState) {
        return decide(local, false, peer, enabled, errorState);
    }

    /**
     * @param localReadFailing the last read of this node's gateway failed: its state is the last one
     *                         read, and a peer whose gateway says Active (fresh, signed) is Ignition's
     *                         decision to follow now rather than after stale-after
     */
    public static Decision decide(GatewayRedundancy local, boolean localReadFailing, Optional<PeerView> peer, boolean enabled, String errorState) {
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
        if (localReadFailing && peer.isPresent() && "Active".equals(peer.get().activityLevel()) && peer.get().gatewayReadable()) {
            return new Decision(false, "gateway cannot be read and the peer's gateway (" + peer.get().node() + ") is Active");
        }
        if (peer.isPresent() && !local.isMaster()) {
            PeerView other = peer.get();
            // A Master whose own gateway cannot be read is not the Master's node to yield to: it yields itself (above).
            if ("Active".equals(other.activityLevel()) && "Master".equals(other.role()) && other.enabled() && other.gatewayReadable()) {
                return new Decision(false, "both gateways Active; the Master's node (" + other.node() + ") sends");
            }
        }
        return new Decision(true, "gateway is Active (" + local.role() + ")");
    }
}
