package com.plantbridge.ops;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.MeterProvisioner;
import com.plantbridge.maintainx.RefusedMeters;
import com.plantbridge.maintainx.Settlement;
import com.plantbridge.maintainx.TokenBudget;
import com.plantbridge.mirror.PairLink;
import com.plantbridge.node.BridgeVersion;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxCounts;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.IgnitionTagsComponent;
import com.plantbridge.tags.IgnitionTagsConsumer;
import com.plantbridge.tags.SubscriptionState;
import com.plantbridge.tags.TagScan;
import com.plantbridge.tags.TagSummary;

/**
 * The answer of GET /api/status: what this node is doing, per connector, with the count and the first
 * few entries of each per-tag list (in full: {@link TagLists}, GET /api/status/tags). Never a token.
 */
public final class StatusReport {

    private static final int QUARANTINE_SHOWN = TagLists.EXAMPLES;

    private final String nodeName;
    private final ActiveSettings settings;
    private final ModuleSwitch moduleSwitch;
    private final GatewayConnection gateway;
    private final MaintainxSenders senders;
    private final Outbox outbox;
    private final RedundancyMonitor monitor;
    private final LeadershipController leadership;
    private final IgnitionTagsComponent tags;
    private final PairLink pair;
    private final AdminAuthorization admin;
    private volatile RequestWindow requestWindow;
    private volatile SecurityStatus security;
    private final MeterProvisioner meters;
    private final PairKnowledge knowledge;
    private final Settlement settlement;

    public StatusReport(NodeIdentity node, ActiveSettings settings, ModuleSwitch moduleSwitch, GatewayConnection gateway,
                        MaintainxSenders senders, Outbox outbox, RedundancyMonitor monitor, LeadershipController leadership,
                        IgnitionTagsComponent tags, PairLink pair, AdminAuthorization admin, MeterProvisioner meters,
                        PairKnowledge knowledge, Settlement settlement) {
        this.knowledge = knowledge;
        this.settlement = settlement;
        this.nodeName = node.name();
        this.settings = settings;
        this.moduleSwitch = moduleSwitch;
        this.gateway = gateway;
        this.senders = senders;
        this.outbox = outbox;
        this.monitor = monitor;
        this.leadership = leadership;
        this.tags = tags;
        this.pair = pair;
        this.admin = admin;
        this.meters = meters;
    }

    /** Requests and 429s of the last rate-limit window per connector come from here (status page, JSON). */
    public void reportRequestsFrom(RequestWindow window) {
        this.requestWindow = window;
    }

    /** The security section (TLS of each port, refused calls, warnings) comes from here. */
    public void reportSecurityFrom(SecurityStatus security) {
        this.security = security;
    }

    public Map<String, Object> build() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node", nodeName);
        status.put("version", BridgeVersion.version());
        status.put("enabled", moduleSwitch.isEnabled());
        status.put("redundancy", redundancy());
        status.put("opcua", opcua());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("file", settings.file().toString());
        config.put("loadedAt", settings.loadedAt().toString());
        pair.mirror().ifPresent(mirror -> {
            // The version only: the checksum travels inside signed peer messages, never on an open page.
            config.put("version", mirror.version());
            config.put("mastersNode", mirror.isMastersNode());
            config.put("confirmedVersion", mirror.confirmedVersion());
            config.put("confirmedAt", mirror.confirmedAt() == null ? null : mirror.confirmedAt().toString());
            config.put("redundancyError", pair.redundancyError());
        });
        status.put("settings", config);
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("tokenConfigured", admin.isTokenConfigured());
        api.put("refusedCalls", admin.refusedCalls());
        status.put("adminApi", api);
        SecurityStatus securityStatus = security;
        status.put("security", securityStatus == null ? null : securityStatus.build());
        List<Map<String, Object>> connectors = new ArrayList<>();
        for (ConnectorSettings connector : settings.current().connectors()) {
            connectors.add(connector(connector));
        }
        status.put("connectors", connectors);
        status.put("knowledge", knowledge.status());
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("held", outbox.getSize());
        store.put("maxReadings", outbox.getMaxReadings());
        store.put("conflatedAtBound", outbox.getConflatedAtBound());
        store.put("droppedAtBound", outbox.getDroppedAtBound());
        status.put("outbox", store);
        return status;
    }

    private Map<String, Object> opcua() {
        Map<String, Object> opcua = new LinkedHashMap<>();
        opcua.put("endpoint", gateway.settings().endpoint());
        opcua.put("security", gateway.settings().security());
        opcua.put("identity", gateway.settings().anonymous() ? "anonymous" : "user");
        opcua.put("sessionActive", gateway.isSessionActive());
        opcua.put("sessionDownSince", gateway.sessionDownSince().map(Object::toString).orElse(null));
        opcua.put("problem", gateway.problem());
        opcua.put("clientCertificateThumbprint", gateway.clientThumbprint().orElse(null));
        opcua.put("serverCertificateNotes", gateway.certificateNotes());
        return opcua;
    }

    private Map<String, Object> redundancy() {
        Map<String, Object> r = new LinkedHashMap<>();
        GatewayRedundancy gatewayState = monitor.current();
        r.put("source", monitor.source().name().toLowerCase());
        r.put("role", gatewayState.role());
        r.put("activityLevel", gatewayState.activityLevel());
        r.put("problem", gatewayState.problem());
        r.put("leader", leadership.isLeader());
        r.put("since", leadership.since().toString());
        r.put("reason", leadership.reason());
        // Leading with no session sends nothing: say so rather than look healthy.
        r.put("sessionNote", leadership.isLeader() && !gateway.isSessionActive()
                ? "leader, OPC UA session down since " + gateway.sessionDownSince().map(Object::toString).orElse("?") : null);
        r.put("location", monitor.location());
        RedundancyMonitor.ReadFailure failure = monitor.readFailure().orElse(null);
        r.put("readProblem", failure == null ? null : failure.problem());
        r.put("readFailingSince", failure == null ? null : failure.since().toString());
        r.put("failedReads", failure == null ? 0 : failure.reads());
        pair.peer().ifPresentOrElse(peer -> {
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
            r.put("peerLink", pair.peerLink().orElseThrow().status());
        }, () -> r.put("peer", null));
        return r;
    }

    private Map<String, Object> connector(ConnectorSettings connector) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", connector.name());
        c.put("enabled", connector.enabled());
        c.put("tags", connector.tags().size());
        IgnitionTagsConsumer consumer = tags.consumer(connector.name()).orElse(null);
        SubscriptionState subscription = consumer == null ? SubscriptionState.NONE : consumer.subscriptionState();
        c.put("subscribed", subscription.subscribed());
        c.put("tagsSubscribed", subscription.tagsSubscribed());
        c.put("tagsRefused", subscription.refused().size());
        c.put("refused", TagLists.examples(subscription.refused()));
        TagSummary<String> notNumeric = consumer == null ? TagSummary.none() : consumer.notMeterValues(TagLists.EXAMPLES);
        c.put("tagsNotNumeric", notNumeric.total());
        c.put("notNumeric", TagLists.byTag(notNumeric.first()));
        c.put("valuesReceived", consumer == null ? 0 : consumer.valuesReceived());
        c.put("readingsPassedFilter", consumer == null ? 0 : consumer.readingsEmitted());
        TagSummary<Long> badQuality = consumer == null ? TagSummary.none() : consumer.badQuality(TagLists.EXAMPLES);
        c.put("tagsBadQuality", badQuality.total());
        c.put("badQuality", badQuality.first());
        c.put("route", consumer == null ? null : consumer.routeHealth());
        c.put("currentValuesWaiting", consumer == null ? 0 : consumer.currentValuesWaiting());
        c.put("settlement", settlement.status(connector));
        c.put("budget", budget(senders.budgets().forToken(connector)));
        ConnectorSender sender = senders.existing(connector.name()).orElse(null);
        c.put("readingsAccepted", senders.accepted(connector.name()));
        c.put("state", sender == null ? "OK" : sender.state().name());
        c.put("activity", sender == null ? null : sender.activity().name());
        c.put("stalledSince", sender == null ? null : senders.stall(sender).map(stall -> stall.since().toString()).orElse(null));
        c.put("lastError", sender == null ? null : sender.lastError());
        OutboxCounts counts = outbox.counts(connector.name());
        c.put("pending", counts.pending());
        c.put("inFlight", counts.inFlight());
        c.put("oldestPendingAgeSeconds", counts.oldestPendingCapturedAt() == null ? null
                : java.time.Duration.between(counts.oldestPendingCapturedAt(), java.time.Instant.now()).toSeconds());
        c.put("delivered", sender == null ? 0 : sender.delivered());
        c.put("requests", sender == null ? 0 : sender.requests());
        c.put("tooManyRequests", sender == null ? 0 : sender.tooManyRequests());
        RequestWindow window = requestWindow;
        if (window != null) {
            RequestWindow.Counts recent = window.counts(connector.name());
            c.put("requestsLastWindow", recent.requests());
            c.put("tooManyRequestsLastWindow", recent.tooManyRequests());
            c.put("windowSeconds", window.window().toSeconds());
        }
        c.put("discardedOnStandby", senders.discardedOnStandby(connector.name()));
        c.put("lastDeliveryAt", sender == null || sender.lastDeliveryAt() == null ? null : sender.lastDeliveryAt().toString());
        List<RefusedMeters.RefusedMeter> refusedMeters = sender == null ? List.of() : sender.refusedMeters();
        c.put("metersRefused", refusedMeters.size());
        c.put("refusedMeters", TagLists.examples(TagLists.refusedMeters(refusedMeters)));
        c.put("refusedMetersFileProblem", sender == null ? null : sender.refusedMetersFileProblem());
        c.put("quarantined", counts.quarantined());
        c.put("quarantine", quarantine(connector.name(), QUARANTINE_SHOWN));
        c.put("folders", consumer == null ? null : consumer.lastScan().map(StatusReport::scan).orElse(null));
        c.put("autoMeters", connector.autoCreateMeters() ? autoMeters(connector.name(), counts.awaitingMeter()) : null);
        return c;
    }

    /** What the connector's token may still send in this window, and what its organisation may (all its tokens together). */
    private static Map<String, Object> budget(TokenBudget budget) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("limit", budget.token().limit());
        b.put("remaining", budget.token().remaining());
        b.put("readShare", budget.readShare());
        b.put("readsInWindow", budget.readsInWindow());
        b.put("organization", budget.organization().name());
        b.put("organizationLimit", budget.organization().limiter().limit());
        b.put("organizationRemaining", budget.organization().limiter().remaining());
        return b;
    }

    /** The last scan of a connector's folders: what it found, what is monitored, what was skipped and why. */
    private static Map<String, Object> scan(TagScan scan) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("lastScanAt", scan.at().toString());
        f.put("tagsFound", scan.found());
        f.put("tagsMonitored", scan.tags().size());
        f.put("maxTags", scan.max());
        f.put("overLimit", scan.overLimit());
        f.put("tagsNotMonitored", scan.dropped());
        f.put("skipped", scan.skipped().size());
        f.put("skippedByReason", scan.skippedByReason());
        f.put("skippedTags", TagLists.examples(TagLists.byTag(scan.skipped())));
        f.put("problems", scan.problems());
        return f;
    }

    /** Meters found or created for tags without meter-id: how many, the first mappings, and what waits. */
    private Map<String, Object> autoMeters(String connector, long awaitingReadings) {
        MeterProvisioner.ConnectorMeters state = meters.status(connector);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mapped", state.mapped().size());
        m.put("tagsWaitingForMeter", state.waitingForMeter());
        m.put("readingsWaitingForMeter", awaitingReadings);
        m.put("failed", state.failures().size());
        m.put("failures", TagLists.examples(state.failures()));
        m.put("meters", TagLists.examples(TagLists.meters(state.mapped())));
        return m;
    }

    /** The newest quarantined readings of a connector with their reasons, for status and the admin API. */
    public List<Map<String, Object>> quarantine(String connector, int max) {
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
