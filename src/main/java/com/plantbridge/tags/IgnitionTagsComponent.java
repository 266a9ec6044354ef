package com.plantbridge.tags;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import com.plantbridge.knowledge.ReferenceReadings;
import com.plantbridge.maintainx.MeterDirectory;
import com.plantbridge.redundancy.CaptureFence;
import com.plantbridge.redundancy.PendingCaptures;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.SettingsLimits;

/**
 * {@code ignition-tags:<connector>}: the values of a connector's Ignition tags, filtered into meter
 * readings. It does the job of camel-milo's milo-client consumer for many tags at once, with
 * sampling interval, queue size and deadband reaching the server and monitored items deleted on
 * stop (the two camel-milo 4.17 defects in docs/camel-defects.md, proved by MiloClientDefectsTest).
 */
public class IgnitionTagsComponent extends DefaultComponent implements PendingCaptures {

    private final GatewayConnection gateway;
    private final ActiveSettings settings;
    private final MeterDirectory meters;
    private final int maxTagsPerConnector;
    private final FolderBrowser browser = new FolderBrowser();
    private final LimitReports limitReports = new LimitReports();
    private ScheduledExecutorService rescanExecutor;
    private final ReferenceReadings references;
    private final CaptureFence fence;
    private final Map<String, IgnitionTagsConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<String, TagFilter> filters = new ConcurrentHashMap<>();
    private final Map<String, TagCounts> counts = new ConcurrentHashMap<>();

    /**
     * @param references what a tag's current value at (re)subscription is compared with, per meter
     * @param fence      whether a capture is this node's to send
     */
    public IgnitionTagsComponent(GatewayConnection gateway, ActiveSettings settings, ReferenceReadings references, CaptureFence fence) {
        this(gateway, settings, references, fence, MeterDirectory.NONE, SettingsLimits.defaults().maxTagsPerConnector());
    }

    /**
     * @param meters              the meters of tags without meter-id, found or created by name
     * @param maxTagsPerConnector bridge.max-tags-per-connector: a connector monitors at most this many tags
     */
    public IgnitionTagsComponent(GatewayConnection gateway, ActiveSettings settings, ReferenceReadings references, CaptureFence fence,
                                 MeterDirectory meters, int maxTagsPerConnector) {
        this.gateway = gateway;
        this.settings = settings;
        this.meters = meters;
        this.maxTagsPerConnector = maxTagsPerConnector;
        this.references = references;
        this.fence = fence;
    }

    CaptureFence fence() {
        return fence;
    }

    MeterDirectory meters() {
        return meters;
    }

    int maxTagsPerConnector() {
        return maxTagsPerConnector;
    }

    FolderBrowser browser() {
        return browser;
    }

    LimitReports limitReports() {
        return limitReports;
    }

    /** Folder scans of all connectors run here: a browse of thousands of tags must not hold up the gateway's own thread. */
    ScheduledExecutorService rescanExecutor() {
        return rescanExecutor;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        rescanExecutor = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "tag-rescans", 2);
    }

    @Override
    protected void doStop() throws Exception {
        if (rescanExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(rescanExecutor);
        }
        super.doStop();
    }

    /**
     * Scans a running connector's folders again now (POST /api/rescan); false when the connector
     * does not run on this node (a standby node subscribes nothing: the leading node scans).
     */
    public boolean rescan(String connector, String reason) {
        IgnitionTagsConsumer consumer = consumers.get(connector);
        return consumer != null && consumer.rescan(reason);
    }

    /** Scans the folders of the running connectors named (the settings were saved). */
    public void rescanAll(java.util.Collection<String> connectors, String reason) {
        connectors.forEach(name -> rescan(name, reason));
    }

    ReferenceReadings references() {
        return references;
    }

    /**
     * Closes every open minimum-interval window now, while this node still leads: a handover
     * delivers what was captured before the peer is told what this node will send.
     */
    @Override
    public void flushCaptured() {
        consumers.values().forEach(IgnitionTagsConsumer::flushWindows);
    }

    GatewayConnection gateway() {
        return gateway;
    }

    ActiveSettings settings() {
        return settings;
    }


    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        IgnitionTagsEndpoint endpoint = new IgnitionTagsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * A connector's filter outlives its consumer: leadership stops and starts the route, and the
     * current values a new subscription reports must meet the last values this node already sent,
     * or a quick loss and regain of leadership would send them twice.
     */
    TagFilter filter(ConnectorSettings connector, Supplier<TagFilter> create) {
        return filters.compute(connector.name(), (name, existing) ->
                existing != null && existing.connector().equals(connector) ? existing : create.get());
    }

    void register(String connector, IgnitionTagsConsumer consumer) {
        consumers.put(connector, consumer);
    }

    void unregister(String connector, IgnitionTagsConsumer consumer) {
        consumers.remove(connector, consumer);
    }

    /** A connector's values received and readings passed by its filter since the node started (metrics). */
    public TagCounts counts(String connector) {
        return counts.computeIfAbsent(connector, name -> new TagCounts());
    }

    /** The running consumer of a connector, for status. */
    public Optional<IgnitionTagsConsumer> consumer(String connector) {
        return Optional.ofNullable(consumers.get(connector));
    }
}
