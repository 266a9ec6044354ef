package com.plantbridge.tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.AcceptedReadings;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.redundancy.CaptureFence;
import com.plantbridge.settings.ConnectorSettings;

/**
 * One subscription for all tags of one connector. The readings of one OPC UA notification travel
 * as one exchange whose body is a {@code List<MeterReading>} (the route contract), so they reach
 * the outbox in one transaction. A reading counts as sent only once the exchange has completed and
 * the {@code maintainx:} endpoint took it; when a step of the user's route throws, the readings are
 * kept in order and offered again with backoff.
 */
public class IgnitionTagsConsumer extends DefaultConsumer implements ReadingSink {

    public static final String HEADER_CONNECTOR = "BridgeConnector";
    public static final String HEADER_TAG_PATH = "BridgeTagPath";
    /** Readings kept in memory for a failing route before older ones of a tag are merged away. */
    static final int BACKLOG_BOUND = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(IgnitionTagsConsumer.class);
    private static final long FIRST_RETRY_MS = 1_000;
    private static final long MAX_RETRY_MS = 30_000;

    private final ThreadLocal<List<MeterReading>> openBatch = new ThreadLocal<>();
    private final ThreadLocal<Boolean> openBatchLeading = new ThreadLocal<>();
    private final AtomicLong notCapturedAsLeader = new AtomicLong();
    private final AtomicLong notAcceptedWhileStopping = new AtomicLong();
    private final AtomicLong routeFailures = new AtomicLong();
    private final AtomicLong notForwarded = new AtomicLong();
    private final RouteBacklog backlog = new RouteBacklog(BACKLOG_BOUND);
    private final Object delivery = new Object();
    private volatile boolean flushingOnStop;
    private volatile String lastRouteError;
    private long retryMs = FIRST_RETRY_MS;
    private ScheduledExecutorService retries;
    private TagFilter filter;
    private TagSubscription subscription;
    private FolderRescans rescans;
    private String connectorName;

    IgnitionTagsConsumer(IgnitionTagsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public IgnitionTagsEndpoint getEndpoint() {
        return (IgnitionTagsEndpoint) super.getEndpoint();
    }

    private String connectorName() {
        return getEndpoint().getConnector();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        IgnitionTagsEndpoint endpoint = getEndpoint();
        IgnitionTagsComponent component = endpoint.getComponent();
        ConnectorSettings connector = component.settings().connector(endpoint.getConnector());
        GatewayConnection gateway = component.gateway();
        retries = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "route-retry-" + connector.name());
        connectorName = connector.name();
        filter = component.filter(connector, () -> new TagFilter(connector, component.meters(), gateway.executor(), this, component.references()));
        filter.attach(this);
        filter.countInto(component.counts(connector.name()));
        component.meters().addListener(connector.name(), filter);
        ConnectorCatalogue catalogue = new ConnectorCatalogue(connector, component.browser(), component.maxTagsPerConnector());
        // The listed tags stream at once; folder tags join the live subscription when the first scan is done.
        subscription = new TagSubscription(gateway, connector.name(), catalogue.listed(), connector.deadband(),
                endpoint.subscriptionOptions(), filter);
        subscription.start();
        if (connector.needsCatalogue()) {
            rescans = new FolderRescans(connector, gateway, subscription, catalogue, component.meters(), component.rescanExecutor(),
                    component.limitReports());
            rescans.start();
        }
        component.register(connector.name(), this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().unregister(connectorName(), this);
        if (rescans != null) {
            rescans.stop();
        }
        if (filter != null) {
            getEndpoint().getComponent().meters().removeListener(connectorName, filter);
        }
        if (subscription != null) {
            subscription.stop();
        }
        if (filter != null) {
            // The route's processors still run while its consumer stops: the latest values of open
            // minimum-interval windows go to the outbox now rather than being lost.
            flushingOnStop = true;
            try {
                filter.flushAll();
                retryBacklog();
            } finally {
                flushingOnStop = false;
            }
        }
        if (retries != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(retries);
        }
        giveUpBacklog();
        super.doStop();
        long missed = notAcceptedWhileStopping.getAndSet(0);
        if (missed > 0) {
            LOG.warn("Connector {}: {} readings arrived while the route was stopping and were not accepted; a tag's current value is compared with MaintainX again at the next start",
                    connectorName(), missed);
        }
    }

    /** A notification's values are captured while the node leads, or not at all: the fence decides at its start. */
    @Override
    public void notificationStart() {
        openBatch.set(new ArrayList<>());
        openBatchLeading.set(fence().enterCapture());
    }

    @Override
    public void notificationEnd() {
        List<MeterReading> batch = openBatch.get();
        boolean leading = Boolean.TRUE.equals(openBatchLeading.get());
        openBatch.remove();
        openBatchLeading.remove();
        try {
            if (batch != null && !batch.isEmpty()) {
                deliverCaptured(batch, leading);
            }
        } finally {
            if (leading) {
                fence().exitCapture();
            }
        }
    }

    /** A reading on its own: a minimum-interval window closing, a capture of its own. */
    @Override
    public void reading(MeterReading reading) {
        List<MeterReading> batch = openBatch.get();
        if (batch != null) {
            batch.add(reading);
            return;
        }
        boolean leading = fence().enterCapture();
        try {
            deliverCaptured(List.of(reading), leading);
        } finally {
            if (leading) {
                fence().exitCapture();
            }
        }
    }

    private CaptureFence fence() {
        return getEndpoint().getComponent().fence();
    }

    /**
     * Readings captured while this node did not lead (a consumer camel-master left running, a
     * notification racing the loss of leadership) are the leader's to send: counted, not taken.
     */
    private void deliverCaptured(List<MeterReading> readings, boolean leading) {
        if (!leading) {
            notCapturedAsLeader.addAndGet(readings.size());
            readings.forEach(filter::rollback);
            return;
        }
        deliver(readings);
    }

    private void deliver(List<MeterReading> readings) {
        if (!isRunAllowed() && !flushingOnStop) {
            // Notifications still in flight while the route stops: not accepted, counted and logged once at stop.
            notAcceptedWhileStopping.addAndGet(readings.size());
            readings.forEach(filter::rollback);
            return;
        }
        synchronized (delivery) {
            if (!backlog.isEmpty()) {
                keep(readings); // behind the readings the route has not taken yet, in order
                return;
            }
            if (!attempt(readings)) {
                keep(readings);
                scheduleRetry();
            }
        }
    }

    /** Runs the route once; false when a step threw (the readings are then the caller's to keep). */
    private boolean attempt(List<MeterReading> readings) {
        Exchange exchange = createExchange(true);
        AcceptedReadings accepted = new AcceptedReadings();
        exchange.setProperty(AcceptedReadings.PROPERTY, accepted);
        exchange.getMessage().setBody(new ArrayList<>(readings));
        exchange.getMessage().setHeader(HEADER_CONNECTOR, readings.get(0).connector());
        exchange.getMessage().setHeader(HEADER_TAG_PATH, readings.get(0).tagPath());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        releaseExchange(exchange, false);
        if (failure != null) {
            routeFailures.incrementAndGet();
            if (lastRouteError == null) {
                LOG.warn("Connector {}: the route failed on {} readings ({}); they are kept and offered again, newer readings wait behind them",
                        connectorName(), readings.size(), failure.toString());
            }
            lastRouteError = failure.toString();
            return false;
        }
        if (lastRouteError != null) {
            LOG.info("Connector {}: the route takes readings again", connectorName());
            lastRouteError = null;
        }
        for (MeterReading reading : readings) {
            if (!accepted.contains(reading)) {
                notForwarded.incrementAndGet();
                filter.rollback(reading);
            }
        }
        return true;
    }

    private void keep(List<MeterReading> readings) {
        int merged = backlog.addAll(readings);
        if (merged > 0) {
            LOG.error("Connector {}: the route has not taken readings for a while; {} older readings merged into the latest per tag to stay within {}",
                    connectorName(), merged, BACKLOG_BOUND);
        }
    }

    private void scheduleRetry() {
        long delay = retryMs;
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        if (retries != null && !retries.isShutdown()) {
            retries.schedule(this::retryBacklog, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void retryBacklog() {
        synchronized (delivery) {
            if (backlog.isEmpty()) {
                return;
            }
            List<MeterReading> waiting = backlog.takeAll();
            if (attempt(waiting)) {
                retryMs = FIRST_RETRY_MS;
            } else {
                backlog.putBack(waiting);
                if (!flushingOnStop) {
                    scheduleRetry();
                }
            }
        }
    }

    /** Stopping with readings the route never took: they were not accepted; the tags' current values are compared with MaintainX at the next start. */
    private void giveUpBacklog() {
        List<MeterReading> left = backlog.takeAll();
        if (!left.isEmpty()) {
            left.forEach(filter::rollback);
            LOG.warn("Connector {}: {} readings the route did not take are dropped as the route stops ({}); the tags' current values are compared with MaintainX at the next start",
                    connectorName(), left.size(), lastRouteError);
        }
    }

    /** Closes the open minimum-interval windows now (see {@link IgnitionTagsComponent#flushCaptured()}). */
    void flushWindows() {
        if (filter != null) {
            filter.flushAll();
        }
    }

    /** Subscribed with every tag (after the first folder scan, for a connector with folders); see {@link #subscriptionState()}. */
    public boolean isSubscribed() {
        return subscription != null && subscription.isSubscribed() && (rescans == null || rescans.last().isPresent());
    }

    /** Scans the folders again now (or right after the scan running); false when the connector has nothing to scan. */
    public boolean rescan(String reason) {
        if (rescans == null) {
            return false;
        }
        rescans.request(reason);
        return true;
    }

    /** The last folder scan; empty before the first and for a connector without folders. */
    public java.util.Optional<TagScan> lastScan() {
        return rescans == null ? java.util.Optional.empty() : rescans.last();
    }

    public SubscriptionState subscriptionState() {
        return subscription == null ? SubscriptionState.NONE : subscription.state();
    }

    /** Tags kept out of readings because their values are not numbers (String, DateTime...), with the reason. */
    public Map<String, String> notMeterValues() {
        return filter == null ? Map.of() : filter.notMeterValues();
    }

    public long valuesReceived() {
        return filter == null ? 0 : filter.valuesReceived();
    }

    public long readingsEmitted() {
        return filter == null ? 0 : filter.readingsEmitted();
    }

    /** Current values waiting while their meter's reference is settled. */
    public long currentValuesWaiting() {
        return filter == null ? 0 : filter.waitingForReference();
    }

    public Map<String, Long> badQualityCounts() {
        return filter == null ? Map.of() : filter.badQualityCounts();
    }

    /** How many tags had bad or uncertain values, and the first {@code max} by path. */
    public TagSummary<Long> badQuality(int max) {
        return filter == null ? TagSummary.none() : filter.badQuality(max);
    }

    /** How many tags hold values that are not numbers, and the first {@code max} by path with the reason. */
    public TagSummary<String> notMeterValues(int max) {
        return filter == null ? TagSummary.none() : filter.notMeterValues(max);
    }

    /** What the user's route does with the readings: failures, readings waiting for it, readings it did not forward. */
    public RouteHealth routeHealth() {
        return new RouteHealth(routeFailures.get(), lastRouteError, backlog.size(), backlog.conflated(), notForwarded.get());
    }

    public record RouteHealth(long failures, String lastError, int waiting, long merged, long notForwarded) {
    }

    /** Readings this consumer saw while the node did not lead, so not taken (the leader's to send). */
    public long notCapturedAsLeader() {
        return notCapturedAsLeader.get();
    }
}
