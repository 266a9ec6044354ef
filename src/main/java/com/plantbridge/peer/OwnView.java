package com.plantbridge.peer;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.ops.BridgeVersion;
import com.plantbridge.ops.ModuleSwitch;
import com.plantbridge.ops.NodeIdentity;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.redundancy.RedundancyMonitor;

/** What this node tells its peer about itself: its gateway, enable flag, leadership and settings version. */
public final class OwnView implements Supplier<Map<String, Object>> {

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
    public Map<String, Object> get() {
        GatewayRedundancy state = monitor.current();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node", node.name());
        view.put("version", BridgeVersion.version());
        view.put("compatibility", mirror.compatibility());
        view.put("schema", SettingsMirror.SCHEMA);
        view.put("settingsVersion", mirror.version());
        view.put("settingsChecksum", mirror.checksum());
        view.put("error", mirror.errorState(link.health().error()));
        view.put("role", state.role());
        view.put("activityLevel", state.activityLevel());
        view.put("enabled", moduleSwitch.isEnabled());
        view.put("leader", fence.isLeader());
        view.put("at", Instant.now().toString());
        return view;
    }
}
