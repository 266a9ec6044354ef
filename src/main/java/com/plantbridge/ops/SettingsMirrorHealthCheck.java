package com.plantbridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.health.HealthCheckResultBuilder;

import com.plantbridge.mirror.PairLink;
import com.plantbridge.mirror.SettingsMirror;

/**
 * Readiness only: DOWN while the two nodes do not hold the same settings. On the Master's node:
 * the Backup's node has not confirmed the version in force for longer than bridge.mirror.check-interval
 * (a change takes a push, so a moment behind is normal); on the Backup's node: it holds no settings
 * from the Master's node yet. UP without a peer.
 */
public final class SettingsMirrorHealthCheck extends ReadinessCheck {

    private final PairLink pair;
    private final Duration grace;
    private final Clock clock;
    private long unconfirmedVersion = -1;
    private Instant unconfirmedSince;

    public SettingsMirrorHealthCheck(PairLink pair, Duration grace, Clock clock) {
        super("settings-mirror");
        this.pair = pair;
        this.grace = grace;
        this.clock = clock;
    }

    @Override
    protected synchronized void inspect(HealthCheckResultBuilder details, List<String> problems) {
        SettingsMirror mirror = pair.mirror().orElse(null);
        if (mirror == null) {
            details.detail("peer", "none");
            return;
        }
        long version = mirror.version();
        details.detail("version", version);
        details.detail("mastersNode", mirror.isMastersNode());
        if (!mirror.isMastersNode()) {
            String blocker = mirror.leadershipBlocker();
            if (blocker != null) {
                problems.add("Settings mirror: " + blocker);
            }
            return;
        }
        details.detail("confirmedVersion", mirror.confirmedVersion());
        if (version == 0 || mirror.confirmedVersion() == version) {
            unconfirmedVersion = -1;
            return;
        }
        Instant now = clock.instant();
        if (unconfirmedVersion != version) {
            unconfirmedVersion = version;
            unconfirmedSince = now;
        }
        if (Duration.between(unconfirmedSince, now).compareTo(grace) > 0) {
            details.detail("unconfirmedSince", unconfirmedSince.toString());
            String error = pair.redundancyError();
            problems.add("Settings mirror: the Backup's node has not confirmed settings version " + version + " since " + unconfirmedSince
                    + " (it confirmed version " + mirror.confirmedVersion() + ")" + (error == null ? "" : ": " + error));
        }
    }
}
