package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.peer.PeerLinkHealth;

/** DOWN with the reason while the pair is in a redundancy error state (settings, versions, refused pushes, this node's own link to its peer). */
public final class RedundancyHealthCheck extends AbstractHealthCheck {

    private final SettingsMirror mirror;
    private final PeerLinkHealth link;

    public RedundancyHealthCheck(SettingsMirror mirror, PeerLinkHealth link) {
        super("bridge", "redundancy");
        this.mirror = mirror;
        this.link = link;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String error = mirror.errorState(link.error());
        builder.detail("settingsVersion", mirror.version());
        if (error == null) {
            builder.up();
        } else {
            builder.message("redundancy error: " + error);
            builder.down();
        }
    }
}
