package com.plantbridge.ops;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.RefusedMeters;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxCounts;
import com.plantbridge.mirror.SettingsMirror;
import com.plantbridge.peer.PeerTrust;
import com.plantbridge.peer.PeerViewRoutes;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.IgnitionTagsComponent;
import com.plantbridge.tags.IgnitionTagsConsumer;

/** The answer of GET /api/status: what this node is doing, per connector. Never a token. */
public final class StatusReport {

    private static final int QUARANTINE_SHOWN = 20;

    private final CamelContext context;
    private final String nodeName;
    private final ActiveSettings settings;
    private final ModuleSwitch moduleSwitch;
    private final GatewayConnection gateway;
    private final MaintainxSenders senders;

    public StatusReport(CamelContext context, String nodeName, ActiveSettings settings, ModuleSwitch moduleSwitch,
                        GatewayConnection gateway, MaintainxSenders senders) {
        this.context = context;
        this.nodeName = nodeName;
        this.settings = settings;
        this.moduleSwitch = moduleSwitch;
        this.gateway = gateway;
        this.senders = senders;
    }

    public Map<String, Object> build() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node", nodeName);
        status.put("version", BridgeVersion.version());
        status.put("enabled", moduleSwitch.isEnabled());
        status.put("redundancy", redundancy());
        Map<String, Object> opcua = new LinkedHashMap<>();
        opcua.put("endpoint", gateway.settings().endpoint());
        opcua.put("sessionActive", gateway.isSessionActive());
        status.put("opcua", opcua);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("file", settings.file().toString());
        config.put("loadedAt", settings.loadedAt().toString());
        SettingsMirror mirror = context.getRegistry().findSingleByType(SettingsMirror.class);
        if (mirror != null) {
            config.put("version", mirror.version());
            config.put("checksum", mirror.checksum());
            config.put("mastersNode", mirror.isMastersNode());
            config.put("confirmedVersion", mirror.confirmedVersion());
            config.put("confirmedAt", mirror.confirmedAt() == null ? null : mirror.confirmedAt().toString());
            PeerTrust trust = context.getRegistry().findSingleByType(PeerTrust.class);
            config.put("redundancyError", mirror.errorState(trust.recentFailure()));
        }
        status.put("settings", config);
        List<Map<String, Object>> connectors = new ArrayList<>();
        IgnitionTagsComponent tags = context.getComponent("ignition-tags", IgnitionTagsComponent.class);
        for (ConnectorSettings connector : settings.current().connectors()) {
            connectors.add(connector(connector, tags));
        }
        status.put("connectors", connectors);
        Outbox outbox = context.getRegistry().findSingleByType(Outbox.class);
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("held", outbox.getSize());
        store.put("maxReadings", outbox.getMaxReadings());
        store.put("conflatedAtBound", outbox.getConflatedAtBound());
        store.put("droppedAtBound", outbox.getDroppedAtBound());
        status.put("outbox", store);
        return status;
    }

    private Map<String, Object> redundancy() {
        Map<String, Object> r = new LinkedHashMap<>();
        RedundancyMonitor monitor = context.getRegistry().findSingleByType(RedundancyMonitor.class);
        LeadershipController leadership = context.getRegistry().findSingleByType(LeadershipController.class);
        GatewayRedundancy gatewayState = monitor.current();
        r.put("source", monitor.source().name().toLowerCase());
        r.put("role", gatewayState.role());
        r.put("activityLevel", gatewayState.activityLevel());
        r.put("problem", gatewayState.problem());
        r.put("leader", leadership.isLeader());
        r.put("since", leadership.since().toString());
        r.put("reason", leadership.reason());
        PeerViewRoutes peer = context.getRegistry().findSingleByType(PeerViewRoutes.class);
        if (peer == null) {
            r.put("peer", null);
        } else {
            Map<String, Object> p = new LinkedHashMap<>();
            peer.current().ifPresentOrElse(view -> {
                p.put("node", view.node());
                p.put("version", view.version());
                p.put("role", view.role());
                p.put("activityLevel", view.activityLevel());
                p.put("enabled", view.enabled());
                p.put("leader", view.leader());
                p.put("fetchedAt", view.fetchedAt().toString());
            }, () -> p.put("problem", peer.problem()));
            r.put("peer", p);
        }
        return r;
    }

    private Map<String, Object> connector(ConnectorSettings connector, IgnitionTagsComponent tags) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", connector.name());
        c.put("enabled", connector.enabled());
        c.put("tags", connector.tags().size());
        IgnitionTagsConsumer consumer = tags.consumer(connector.name()).orElse(null);
        c.put("subscribed", consumer != null && consumer.isSubscribed());
        c.put("valuesReceived", consumer == null ? 0 : consumer.valuesReceived());
        c.put("readingsPassedFilter", consumer == null ? 0 : consumer.readingsEmitted());
        c.put("badQuality", consumer == null ? Map.of() : consumer.badQualityCounts());
        ConnectorSender sender = senders.existing(connector.name()).orElse(null);
        c.put("readingsAccepted", senders.accepted(connector.name()));
        c.put("state", sender == null ? "OK" : sender.state().name());
        c.put("activity", sender == null ? null : sender.activity().name());
        c.put("stalledSince", sender == null ? null : senders.stall(sender).map(stall -> stall.since().toString()).orElse(null));
        c.put("lastError", sender == null ? null : sender.lastError());
        OutboxCounts counts = context.getRegistry().findSingleByType(Outbox.class).counts(connector.name());
        c.put("pending", counts.pending());
        c.put("inFlight", counts.inFlight());
        c.put("oldestPendingAgeSeconds", counts.oldestPendingCapturedAt() == null ? null
                : java.time.Duration.between(counts.oldestPendingCapturedAt(), java.time.Instant.now()).toSeconds());
        c.put("delivered", sender == null ? 0 : sender.delivered());
        c.put("requests", sender == null ? 0 : sender.requests());
        c.put("tooManyRequests", sender == null ? 0 : sender.tooManyRequests());
        c.put("discardedOnStandby", senders.discardedOnStandby(connector.name()));
        c.put("lastDeliveryAt", sender == null || sender.lastDeliveryAt() == null ? null : sender.lastDeliveryAt().toString());
        c.put("refusedMeters", sender == null ? List.of() : sender.refusedMeters().stream().map(StatusReport::refusedMeter).toList());
        c.put("quarantined", counts.quarantined());
        c.put("quarantine", quarantine(connector.name(), QUARANTINE_SHOWN));
        return c;
    }

    private static Map<String, Object> refusedMeter(RefusedMeters.RefusedMeter meter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meterId", meter.meterId());
        m.put("tag", meter.tag());
        m.put("reason", meter.reason());
        m.put("since", meter.since().toString());
        return m;
    }

    /** The newest quarantined readings of a connector with their reasons, for status and the admin API. */
    public List<Map<String, Object>> quarantine(String connector, int max) {
        Outbox outbox = context.getRegistry().findSingleByType(Outbox.class);
        try {
            return outbox.quarantined(connector, max).stream().map(StatusReport::quarantined).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("The outbox cannot be read", e);
        }
    }

    private static Map<String, Object> quarantined(Outbox.Quarantined q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", q.reading().reading().tagPath());
        m.put("meterId", q.reading().reading().meterId());
        m.put("value", q.reading().reading().value());
        m.put("readingDate", q.reading().reading().readingDateText());
        m.put("reason", q.reason());
        return m;
    }
}
