package com.plantbridge.peer;

import java.time.Instant;
import java.util.function.Supplier;

import com.plantbridge.node.BridgeVersion;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.redundancy.RedundancyMonitor;

/** What this node tells its peer about itself: its gateway, enable flag, leadership and settings version. */
public final class OwnView implements Supplier<PeerViewMessage> {

    private final NodeIdentity node;
    private final RedundancyMonitor monitor;
    private final ModuleSwitch moduleSwitch;
    private final LeadershipFence fence;
    private final PairSettings settings;
    private final PeerLink link;

    public OwnView(NodeIdentity node, RedundancyMonitor monitor, ModuleSwitch moduleSwitch, LeadershipFence fence,
                   PairSettings settings, PeerLink link) {
        this.node = node;
        this.monitor = monitor;
        this.moduleSwitch = moduleSwitch;
        this.fence = fence;
        this.settings = settings;
        this.link = link;
    }

    @Override
    public PeerViewMessage get() {
        GatewayRedundancy state = monitor.current();
        return new PeerViewMessage(node.name(), BridgeVersion.version(), settings.compatibility(), settings.schema(),
                settings.version(), settings.checksum(), settings.errorState(link.health().error()), state.role(), state.activityLevel(),
                moduleSwitch.isEnabled(), fence.isLeader(), !monitor.isReadFailing(), Instant.now());
    }

}
