package com.plantbridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.peer.PairLink;

/**
 * Readiness only: DOWN while the two nodes do not hold the same settings. On the Master's node:
 * the Backup's node has not confirmed the version in force for longer than bridge.mirror.check-interval
 * (a change takes a push, so a moment behind is normal); on the Backup's node: it holds no settings
 * from the Master's node yet. UP without a peer.
 */
public final class SettingsMirrorHealthCheck extends AbstractHealthCheck {

    private final PairLink pair;
    private final Duration grace;
    private final Clock clock;
    private long unconfirmedVersion = -1;
    private Instant unconfirmedSince;

    public SettingsMirrorHealthCheck(PairLink pair, Duration grace, Clock clock) {
        super("bridge", "settings-mirror");
        this.pair = pair;
        this.grace = grace;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SettingsMirror mirror = pair.mirror().orElse(null);
        if (mirror == null) {
            builder.detail("peer", "none");
            builder.up();
            return;
        }
        long version = mirror.version();
        builder.detail("version", version);
        builder.detail("mastersNode", mirror.isMastersNode());
        if (!mirror.isMastersNode()) {
            String blocker = mirror.leadershipBlocker();
            if (blocker != null) {
                builder.message("Settings mirror: " + blocker);
                builder.down();
            } else {
                builder.up();
            }
            return;
        }
        builder.detail("confirmedVersion", mirror.confirmedVersion());
        if (version == 0 || mirror.confirmedVersion() == version) {
            unconfirmedVersion = -1;
            builder.up();
            return;
        }
        Instant now = clock.instant();
        if (unconfirmedVersion != version) {
            unconfirmedVersion = version;
            unconfirmedSince = now;
        }
        if (Duration.between(unconfirmedSince, now).compareTo(grace) <= 0) {
            builder.up();
            return;
        }
        builder.detail("unconfirmedSince", unconfirmedSince.toString());
        String error = pair.redundancyError();
        builder.message("Settings mirror: the Backup's node has not confirmed settings version " + version + " since " + unconfirmedSince
                + " (it confirmed version " + mirror.confirmedVersion() + ")" + (error == null ? "" : ": " + error));
        builder.down();
    }
}
