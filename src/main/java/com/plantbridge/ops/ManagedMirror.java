package com.plantbridge.ops;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;

import com.plantbridge.mirror.PairLink;
import com.plantbridge.settings.ActiveSettings;

/** JMX view of the settings mirror between the two nodes (type=bridge,name=mirror); 0 and empty without a peer. */
@ManagedResource(description = "Settings mirror: version in force, version the Backup's node confirmed, errors")
public final class ManagedMirror {

    private final PairLink pair;
    private final ActiveSettings settings;

    public ManagedMirror(PairLink pair, ActiveSettings settings) {
        this.pair = pair;
        this.settings = settings;
    }

    @ManagedAttribute(description = "Settings version in force on this node")
    public long getVersion() {
        return pair.mirror().map(m -> m.version()).orElse(0L);
    }

    @ManagedAttribute(description = "Settings version the Backup's node confirmed (on the Master's node)")
    public long getConfirmedVersion() {
        return pair.mirror().map(m -> m.confirmedVersion()).orElse(0L);
    }

    @ManagedAttribute(description = "Whether this node is the Master's (or an Independent gateway's): settings are edited here")
    public boolean isMastersNode() {
        return pair.mirror().map(m -> m.isMastersNode()).orElse(true);
    }

    @ManagedAttribute(description = "When the settings in force were last applied on this node (ISO-8601)")
    public String getLastApplied() {
        return settings.loadedAt().toString();
    }

    @ManagedAttribute(description = "Redundancy error of the mirror or the peer link, empty when none")
    public String getError() {
        String error = pair.redundancyError();
        return error == null ? "" : error;
    }
}
