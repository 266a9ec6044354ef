package com.plantbridge.ops;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxCounts;
import com.plantbridge.tags.IgnitionTagsComponent;

/**
 * JMX view of one connector's way to MaintainX (type=bridge,name=sender-&lt;connector&gt;). It names
 * the connector, not a sender: a settings change replaces the sender, the MBean stays.
 */
@ManagedResource(description = "A connector's sender to MaintainX and its outbox line")
public final class ManagedConnectorSender {

    private final String connector;
    private final MaintainxSenders senders;
    private final Outbox outbox;
    private final BridgeMetrics metrics;
    private final IgnitionTagsComponent tags;

    public ManagedConnectorSender(String connector, MaintainxSenders senders, Outbox outbox, BridgeMetrics metrics, IgnitionTagsComponent tags) {
        this.connector = connector;
        this.tags = tags;
        this.senders = senders;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    @ManagedAttribute(description = "Connector name in the module settings")
    public String getConnector() {
        return connector;
    }

    @ManagedAttribute(description = "OK, RETRYING or AUTH_ERROR; NONE when the connector has no sender (disabled)")
    public String getState() {
        return senders.existing(connector).map(s -> s.state().name()).orElse("NONE");
    }

    @ManagedAttribute(description = "What the sender does now, e.g. WAITING_FOR_READINGS, POSTING, BACKING_OFF")
    public String getActivity() {
        return senders.existing(connector).map(s -> s.activity().name()).orElse("NONE");
    }

    @ManagedAttribute(description = "Readings waiting in line")
    public long getPending() {
        return counts().pending();
    }

    @ManagedAttribute(description = "Readings of the batch being sent")
    public long getInFlight() {
        return counts().inFlight();
    }

    @ManagedAttribute(description = "Readings delivered since the node started")
    public long getDelivered() {
        return metrics.deliveredCount(connector);
    }

    @ManagedAttribute(description = "Readings kept in quarantine")
    public long getQuarantined() {
        return counts().quarantined();
    }

    @ManagedAttribute(description = "Last error of the sender, empty when none")
    public String getLastError() {
        String error = senders.existing(connector).map(ConnectorSender::lastError).orElse(null);
        return error == null ? "" : error;
    }

    @ManagedAttribute(description = "Age in seconds of the oldest reading not yet at MaintainX (in line or in flight); 0 when none waits")
    public long getOldestPendingAgeSeconds() {
        return outbox.oldestWaiting(connector).map(oldest -> Duration.between(oldest, Instant.now()).toSeconds()).orElse(0L);
    }

    @ManagedOperation(description = "Put the connector's quarantined readings back in line (after fixing a meter mapping); returns how many")
    public int replayQuarantine() throws SQLException {
        return senders.replayQuarantine(connector);
    }

    @ManagedOperation(description = "Browse the connector's folders again now, as POST /api/rescan does; false when it has nothing to scan or is not running here")
    public boolean rescan() {
        return tags.rescan(connector, "asked over JMX");
    }

    private OutboxCounts counts() {
        return outbox.counts(connector);
    }
}
