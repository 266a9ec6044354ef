package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.peer.PeerTrust;

/** DOWN with the reason while the pair is in a redundancy error state (settings, versions, signatures). */
public final class RedundancyHealthCheck extends AbstractHealthCheck {

    private final SettingsMirror mirror;
    private final PeerTrust trust;

    public RedundancyHealthCheck(SettingsMirror mirror, PeerTrust trust) {
        super("bridge", "redundancy");
        this.mirror = mirror;
        this.trust = trust;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String error = mirror.errorState(trust.recentFailure());
        builder.detail("settingsVersion", mirror.version());
        if (error == null) {
            builder.up();
        } else {
            builder.message("redundancy error: " + error);
            builder.down();
        }
    }
}
