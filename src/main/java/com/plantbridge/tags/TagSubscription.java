package com.plantbridge.tags;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.TagSettings;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * One OPC UA subscription holding one monitored item per tag of a connector. It is created when a
 * session is active, created again when the server lost it (restart: the transfer fails) or when
 * the connection replaced its client, and deleted on the server when stopped, so a stop/start
 * never leaves a second copy delivering values. Tags the gateway refuses (an unknown path, no
 * access) are kept with the reason, counted in one log line per subscription, and shown in status.
 * The tag set can change while it runs ({@link #update}, a folder rescan): items are added to and
 * deleted from the live subscription, so the other tags keep streaming and nothing is sent again;
 * a new tag's first value is its current value, compared like any other.
 *
 * <p>Monitored items are created in two parts, the first {@value #FIRST_PART} and then the rest,
 * each a task of its own on the gateway's thread, so that the connectors starting together at a
 * takeover all stream part of their tags before any creates the rest: measured at 20 x 6,000 tags,
 * creating each connector whole made the last connector wait 3.8 s for its first value and the
 * first 0.46 s. Parts of 1,000 throughout made the whole creation 30% slower.
 */
public final class TagSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(TagSubscription.class);
    private static final long RETRY_MS = 5_000;
    static final int FIRST_PART = 1_000;

    private final GatewayConnection gateway;
    private final String name;
    private volatile Map<String, TagSettings> tags;
    private final double connectorDeadband;
    private final SubscriptionOptions options;
    private final TagValueListener listener;
    private final Consumer<OpcUaClient> sessionListener = this::ensureCreated;
    private volatile OpcUaSubscription current;
    /** The subscription being created: its items' first values arrive while the rest are still created, and count. */
    private volatile OpcUaSubscription creating;
    private volatile Listener delivery;
    private volatile Map<String, String> refused = Map.of();
    /** Tags of the current subscription whose monitored items are still to be created. */
    private volatile int pending;
    private volatile boolean stopped;

    public TagSubscription(GatewayConnection gateway, String name, List<TagSettings> tags, double connectorDeadband,
                           SubscriptionOptions options, TagValueListener listener) {
        this.gateway = gateway;
        this.name = name;
        this.tags = byPath(tags);
        this.connectorDeadband = connectorDeadband;
        this.options = options;
        this.listener = listener;
    }

    public void start() {
        stopped = false;
        gateway.onSessionActive(sessionListener);
    }

    /** Deletes the subscription and its monitored items on the server before returning. */
    public void stop() throws Exception {
        stopped = true;
        gateway.removeSessionListener(sessionListener);
        gateway.executor().submit(this::deleteCurrent).get(15, TimeUnit.SECONDS);
    }

    private static Map<String, TagSettings> byPath(List<TagSettings> tags) {
        Map<String, TagSettings> map = new java.util.LinkedHashMap<>();
        tags.forEach(t -> map.put(t.path(), t));
        return Collections.unmodifiableMap(map);
    }

    /** What an {@link #update} changed: tags added and removed, and the tags the gateway refuses now. */
    public record Changes(List<String> added, List<String> removed, Map<String, String> refused) {
    }

    /**
     * Makes the subscription hold exactly these tags, adding and deleting monitored items on the
     * live subscription (on the gateway's thread, in order with (re)subscriptions); without a
     * session the next subscription is made with them. A tag whose settings changed is replaced.
     */
    public CompletableFuture<Changes> update(List<TagSettings> next) {
        CompletableFuture<Changes> done = new CompletableFuture<>();
        gateway.executor().execute(() -> {
            try {
                done.complete(apply(byPath(next)));
            } catch (Exception | LinkageError e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private Changes apply(Map<String, TagSettings> next) throws Exception {
        Map<String, TagSettings> previous = tags;
        List<TagSettings> added = next.values().stream().filter(t -> !t.equals(previous.get(t.path()))).toList();
        List<String> removed = previous.values().stream().filter(t -> !t.equals(next.get(t.path()))).map(TagSettings::path).toList();
        // An unchanged tag keeps its instance: its monitored item carries it, and values are matched by it.
        Map<String, TagSettings> kept = new java.util.LinkedHashMap<>();
        next.forEach((path, tag) -> kept.put(path, tag.equals(previous.get(path)) ? previous.get(path) : tag));
        tags = Collections.unmodifiableMap(kept);
        Map<String, String> refusedNow = new TreeMap<>(refused);
        removed.forEach(refusedNow::remove);
        OpcUaSubscription subscription = current;
        if (!stopped && isLive() && subscription != null) {
            if (!removed.isEmpty()) {
                java.util.Set<String> gone = new java.util.HashSet<>(removed);
                List<OpcUaMonitoredItem> items = subscription.getMonitoredItems().stream()
                        .filter(i -> gone.contains(((TagSettings) i.getUserObject().orElseThrow()).path())).toList();
                subscription.removeMonitoredItems(items);
                subscription.deleteMonitoredItems();
                Listener listening = delivery;
                if (listening != null) {
                    listening.forget(removed);   // added again later, its first value is a current value again
                }
            }
            if (!added.isEmpty()) {
                UShort namespace = gateway.tagNamespaceIndex(subscription.getClient());
                List<OpcUaMonitoredItem> items = new ArrayList<>(added.size());
                for (TagSettings tag : added) {
                    items.add(monitoredItem(new NodeId(namespace, tag.path()), tag, true));
                }
                createItems(subscription, items, refusedNow);
            }
        }
        refused = Collections.unmodifiableMap(refusedNow);
        return new Changes(added.stream().map(TagSettings::path).toList(), removed, refused);
    }

    /** True when the subscription exists on the server of the current session with all of its tags. */
    public boolean isSubscribed() {
        return isLive() && refused.isEmpty() && pending == 0;
    }

    /** What the gateway has of this connector now: tags subscribed and tags refused with the reason. */
    public SubscriptionState state() {
        Map<String, String> now = refused;
        boolean live = isLive();
        List<SubscriptionState.RefusedTag> list = now.entrySet().stream()
                .map(e -> new SubscriptionState.RefusedTag(e.getKey(), e.getValue())).toList();
        int count = tags.size();
        int waiting = pending;
        return new SubscriptionState(live && now.isEmpty() && waiting == 0, count, live ? Math.max(0, count - now.size() - waiting) : 0, list);
    }

    private boolean isLive() {
        OpcUaSubscription s = current;
        return s != null && s.getSyncState() != OpcUaSubscription.SyncState.INITIAL
                && gateway.client().map(c -> c == s.getClient()).orElse(false);
    }

    private void ensureCreated(OpcUaClient client) {
        OpcUaSubscription existing = current;
        if (stopped || gateway.client().map(c -> c != client).orElse(true)) {
            return; // stopped, or a newer session has taken over and will call again
        }
        if (existing != null && existing.getClient() == client && existing.getSyncState() != OpcUaSubscription.SyncState.INITIAL) {
            return; // Milo transferred it to the new session: the server still has it
        }
        if (existing != null && existing.getClient() != client) {
            current = null; // it went with the previous client's session
        }
        try {
            current = create(client);
        } catch (Exception e) {
            LOG.warn("Connector {}: subscribing {} tags failed ({}); retrying in {} s", name, tags.size(), e.getMessage(), RETRY_MS / 1000);
            gateway.executor().schedule(() -> ensureCreated(client), RETRY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private OpcUaSubscription create(OpcUaClient client) throws Exception {
        UShort namespace = gateway.tagNamespaceIndex(client);
        OpcUaSubscription subscription = new OpcUaSubscription(client, options.publishingIntervalMs());
        Listener listening = new Listener(client);
        subscription.setSubscriptionListener(listening);
        subscription.create();
        creating = subscription;
        try {
            List<TagSettings> all = List.copyOf(tags.values());
            Map<String, String> refusedNow = new TreeMap<>();
            createItems(subscription, itemsOf(all.subList(0, Math.min(FIRST_PART, all.size())), namespace), refusedNow);
            refused = Collections.unmodifiableMap(refusedNow);
            delivery = listening;
            pending = Math.max(0, all.size() - FIRST_PART);
            if (pending > 0) {
                gateway.executor().execute(() -> createRest(subscription, all));
            } else {
                logCounts(all.size(), refusedNow);
            }
            return subscription;
        } catch (Exception e) {
            subscription.delete(); // else the server keeps it until the session ends
            throw e;
        } finally {
            creating = null;
        }
    }

    private List<OpcUaMonitoredItem> itemsOf(List<TagSettings> part, UShort namespace) {
        List<OpcUaMonitoredItem> items = new ArrayList<>(part.size());
        for (TagSettings tag : part) {
            items.add(monitoredItem(new NodeId(namespace, tag.path()), tag, true));
        }
        return items;
    }

    /** The rest of a new subscription's items, behind whatever else waited for the gateway's thread (other connectors' first parts). */
    private void createRest(OpcUaSubscription subscription, List<TagSettings> all) {
        if (stopped || subscription != current) {
            return;   // stopped, or replaced by a subscription made whole
        }
        if (!isLive()) {
            gateway.executor().schedule(() -> createRest(subscription, all), RETRY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        Map<String, TagSettings> now = tags;
        // A tag a rescan removed or replaced meanwhile is not created from the old list (the rescan created its replacement).
        List<TagSettings> rest = all.subList(FIRST_PART, all.size()).stream().filter(t -> now.get(t.path()) == t).toList();
        Map<String, String> refusedNow = new TreeMap<>(refused);
        try {
            createItems(subscription, itemsOf(rest, gateway.tagNamespaceIndex(subscription.getClient())), refusedNow);
        } catch (Exception e) {
            LOG.warn("Connector {}: subscribing tags {} to {} of {} failed ({}); subscribing all again in {} s", name, FIRST_PART + 1, all.size(), all.size(),
                    e.getMessage(), RETRY_MS / 1000);
            OpcUaClient client = subscription.getClient();
            deleteCurrent();
            gateway.executor().schedule(() -> ensureCreated(client), RETRY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        refused = Collections.unmodifiableMap(refusedNow);
        pending = 0;
        logCounts(now.size(), refusedNow);
    }

    /** One line per (re)subscription whatever the number of tags; each refused tag at DEBUG (all are in status). */
    private void logCounts(int count, Map<String, String> refusedNow) {
        String endpoint = gateway.settings().endpoint();
        if (refusedNow.isEmpty()) {
            LOG.info("Connector {}: subscribed {} of {} tags on {}", name, count, count, endpoint);
            return;
        }
        Map<String, Long> byReason = refusedNow.values().stream()
                .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
        LOG.warn("Connector {}: subscribed {} of {} tags on {}; {} refused by the gateway {}; the tags and reasons are in status",
                name, count - refusedNow.size(), count, endpoint, refusedNow.size(), byReason);
        refusedNow.forEach((path, reason) -> LOG.debug("Connector {}: tag {} refused by the gateway: {}", name, path, reason));
    }

    /** A part of a creation whose whole service call failed (a time-out under load) is tried again this often before its tags count as refused. */
    private static final int SERVICE_ATTEMPTS = 3;

    /** Creates the items; a non-numeric tag refuses a deadband filter, so it is created again without one. */
    private void createItems(OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, Map<String, String> refusedNow) {
        createItems(subscription, items, refusedNow, 1);
    }

    private void createItems(OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, Map<String, String> refusedNow, int attempt) {
        subscription.addMonitoredItems(items);
        List<OpcUaMonitoredItem> retryWithoutFilter = new ArrayList<>();
        List<OpcUaMonitoredItem> retryService = new ArrayList<>();
        for (MonitoredItemServiceOperationResult result : subscription.createMonitoredItems()) {
            OpcUaMonitoredItem item = result.monitoredItem();
            if (result.operationResult().isEmpty()) {
                // The service call for this part failed as a whole (Milo reported it as no result): not the tag's fault.
                subscription.removeMonitoredItem(item);
                if (attempt < SERVICE_ATTEMPTS) {
                    retryService.add(item);
                } else {
                    refusedNow.put(((TagSettings) item.getUserObject().orElseThrow()).path(), statusName(result.serviceResult()));
                }
                continue;
            }
            StatusCode status = result.operationResult().get();
            if (status.isGood()) {
                continue;
            }
            TagSettings tag = (TagSettings) item.getUserObject().orElseThrow();
            subscription.removeMonitoredItem(item);
            if (hasDeadband(item) && (status.getValue() == StatusCodes.Bad_FilterNotAllowed
                    || status.getValue() == StatusCodes.Bad_MonitoredItemFilterUnsupported)) {
                retryWithoutFilter.add(monitoredItem(item.getReadValueId().getNodeId(), tag, false));
            } else {
                refusedNow.put(tag.path(), statusName(status));
            }
        }
        if (!retryWithoutFilter.isEmpty()) {
            createItems(subscription, retryWithoutFilter, refusedNow);
        }
        if (!retryService.isEmpty()) {
            LOG.warn("Connector {}: the gateway did not answer the creation of {} monitored items ({}); trying again", name, retryService.size(), attempt);
            List<OpcUaMonitoredItem> again = new ArrayList<>();
            for (OpcUaMonitoredItem item : retryService) {
                TagSettings tag = (TagSettings) item.getUserObject().orElseThrow();
                again.add(monitoredItem(item.getReadValueId().getNodeId(), tag, hasDeadband(item)));
            }
            createItems(subscription, again, refusedNow, attempt + 1);
        }
    }

    static String statusName(StatusCode status) {
        return StatusCodes.lookup(status.getValue()).map(names -> names[0])
                .orElse(String.format("0x%08X", status.getValue()));
    }

    private static boolean hasDeadband(OpcUaMonitoredItem item) {
        return item.getFilter() instanceof DataChangeFilter f && f.getDeadbandValue() != null && f.getDeadbandValue() > 0;
    }

    private OpcUaMonitoredItem monitoredItem(NodeId nodeId, TagSettings tag, boolean serverDeadband) {
        OpcUaMonitoredItem item = new OpcUaMonitoredItem(
                new ReadValueId(nodeId, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE), MonitoringMode.Reporting);
        item.setSamplingInterval(options.samplingIntervalMs());
        item.setQueueSize(uint(options.queueSize()));
        item.setDiscardOldest(true);
        double deadband = serverDeadband ? tag.deadbandOr(connectorDeadband) : 0;
        // The server drops changes inside the deadband before they cross the network; TagFilter still checks.
        item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue,
                uint(deadband > 0 ? DeadbandType.Absolute.getValue() : DeadbandType.None.getValue()), deadband));
        item.setUserObject(tag);
        return item;
    }

    private void deleteCurrent() {
        OpcUaSubscription subscription = current;
        current = null;
        delivery = null;
        refused = Map.of();
        pending = 0;
        if (subscription == null) {
            return;
        }
        try {
            if (subscription.getSyncState() != OpcUaSubscription.SyncState.INITIAL
                    && gateway.client().map(c -> c == subscription.getClient()).orElse(false)) {
                subscription.delete();
            }
        } catch (Exception e) {
            // The session is gone; the server drops the subscription with it.
            LOG.debug("Connector {}: deleting the subscription failed", name, e);
            subscription.reset();
        }
    }

    private final class Listener implements OpcUaSubscription.SubscriptionListener {
        private final OpcUaClient client;
        private final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Listener(OpcUaClient client) {
            this.client = client;
        }

        void forget(List<String> paths) {
            paths.forEach(reported::remove);
        }

        @Override
        public void onDataReceived(OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            if (subscription != current && subscription != creating) {
                return; // a subscription being replaced must not deliver twice
            }
            Map<String, TagSettings> now = tags;
            listener.onBatchStart();
            try {
                for (int i = 0; i < items.size(); i++) {
                    TagSettings tag = (TagSettings) items.get(i).getUserObject().orElseThrow();
                    if (now.get(tag.path()) != tag) {
                        continue;   // removed by a rescan while its last values were on their way
                    }
                    if (reported.add(tag.path())) {
                        listener.onInitialValue(tag, values.get(i));
                    } else {
                        listener.onValue(tag, values.get(i));
                    }
                }
            } finally {
                listener.onBatchEnd();
            }
        }

        @Override
        public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
            LOG.info("Connector {}: the gateway lost the subscription ({}); subscribing again", name, status);
            gateway.executor().execute(() -> ensureCreated(client));
        }
    }
}
