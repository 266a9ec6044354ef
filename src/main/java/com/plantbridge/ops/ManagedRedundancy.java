package com.plantbridge.ops;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

import com.plantbridge.mirror.PairLink;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.PeerView;
import com.plantbridge.redundancy.RedundancyMonitor;

/** JMX view of this node's place in the redundant pair (type=bridge,name=redundancy), with the local enable flag. */
@ManagedResource(description = "Redundancy: this node's gateway, leadership and the peer's node")
public final class ManagedRedundancy {

    private final RedundancyMonitor monitor;
    private final LeadershipController leadership;
    private final ModuleSwitch moduleSwitch;
    private final PairLink pair;

    public ManagedRedundancy(RedundancyMonitor monitor, LeadershipController leadership, ModuleSwitch moduleSwitch, PairLink pair) {
        this.monitor = monitor;
        this.leadership = leadership;
        this.moduleSwitch = moduleSwitch;
        this.pair = pair;
    }

    @ManagedAttribute(description = "Role of this node's gateway: Independent, Master or Backup")
    public String getRole() {
        return monitor.current().role();
    }

    @ManagedAttribute(description = "Activity level of this node's gateway: Active, Warm, Cold, Undecided or Unknown")
    public String getActivityLevel() {
        GatewayRedundancy state = monitor.current();
        return state.activityLevel();
    }

    @ManagedAttribute(description = "Whether this node leads (sends readings)")
    public boolean isLeader() {
        return leadership.isLeader();
    }

    @ManagedAttribute(description = "Since when this node leads or stands by (ISO-8601)")
    public String getSince() {
        return leadership.since().toString();
    }

    @ManagedAttribute(description = "Why this node leads or stands by")
    public String getReason() {
        return leadership.reason();
    }

    @ManagedAttribute(description = "Whether the module is enabled on this node")
    public boolean isEnabled() {
        return moduleSwitch.isEnabled();
    }

    @ManagedAttribute(description = "The peer's node as it last answered, or why it cannot be read; empty without a peer")
    public String getPeerState() {
        return pair.peer().map(peer -> peer.current().map(ManagedRedundancy::describe).orElseGet(() -> "unknown: " + peer.problem()))
                .orElse("");
    }

    @ManagedAttribute(description = "Redundancy error of the pair, empty when none")
    public String getRedundancyError() {
        String error = pair.redundancyError();
        return error == null ? "" : error;
    }

    @ManagedOperation(description = "Enable the module on this node")
    public void enable() {
        moduleSwitch.set(true, "JMX");
    }

    @ManagedOperation(description = "Disable the module on this node; it stops sending at once")
    public void disable() {
        moduleSwitch.set(false, "JMX");
    }

    private static String describe(PeerView view) {
        return "node " + view.node() + ": " + view.role() + " " + view.activityLevel() + ", " + (view.leader() ? "leader" : "standby")
                + ", " + (view.enabled() ? "enabled" : "disabled") + ", settings version " + view.settingsVersion() + " (at " + view.fetchedAt() + ")";
    }
}
