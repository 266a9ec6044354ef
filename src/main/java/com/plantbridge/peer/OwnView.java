package com.plantbridge.peer;

import java.time.Instant;
import java.util.function.Supplier;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.ops.BridgeVersion;
import com.plantbridge.ops.ModuleSwitch;
import com.plantbridge.ops.NodeIdentity;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.redundancy.RedundancyMonitor;

/** What this node tells its peer about itself: its gateway, enable flag, leadership and settings version. */
public final class OwnView implements Supplier<PeerViewMessage> {

    private final NodeIdentity node;
    private final RedundancyMonitor monitor;
    private final ModuleSwitch moduleSwitch;
    private final LeadershipFence fence;
    private final SettingsMirror mirror;
    private final PeerLink link;

    public OwnView(NodeIdentity node, RedundancyMonitor monitor, ModuleSwitch moduleSwitch, LeadershipFence fence,
                   SettingsMirror mirror, PeerLink link) {
        this.node = node;
        this.monitor = monitor;
        this.moduleSwitch = moduleSwitch;
        this.fence = fence;
        this.mirror = mirror;
        this.link = link;
    }

    @Override
    public PeerViewMessage get() {
        GatewayRedundancy state = monitor.current();
        return new PeerViewMessage(node.name(), BridgeVersion.version(), mirror.compatibility(), SettingsMirror.SCHEMA,
                mirror.version(), mirror.checksum(), mirror.errorState(link.health().error()), state.role(), state.activityLevel(),
                moduleSwitch.isEnabled(), fence.isLeader(), Instant.now());
    }

}
