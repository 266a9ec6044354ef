package com.plantbridge.tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.MeterReading;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ConnectorSettings;

/** One subscription for all tags of one connector; every reading that passes the filter is one exchange. */
public class IgnitionTagsConsumer extends DefaultConsumer implements ReadingSink {

    public static final String HEADER_CONNECTOR = "BridgeConnector";
    public static final String HEADER_TAG_PATH = "BridgeTagPath";

    private final ThreadLocal<List<MeterReading>> openBatch = new ThreadLocal<>();
    private final java.util.concurrent.atomic.AtomicLong notAcceptedWhileStopping = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean flushingOnStop;
    private TagFilter filter;
    private TagSubscription subscription;

    IgnitionTagsConsumer(IgnitionTagsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public IgnitionTagsEndpoint getEndpoint() {
        return (IgnitionTagsEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        IgnitionTagsEndpoint endpoint = getEndpoint();
        ConnectorSettings connector = endpoint.settings().connector(endpoint.getConnector());
        GatewayConnection gateway = endpoint.gateway();
        RedundancyMonitor redundancy = endpoint.getCamelContext().getRegistry().findSingleByType(RedundancyMonitor.class);
        filter = endpoint.getComponent().filter(connector, () -> new TagFilter(connector, gateway.executor(), this,
                () -> redundancy == null ? null : redundancy.alreadyHandledBefore()));
        filter.attach(this);
        MaintainxSenders senders = endpoint.getCamelContext().getRegistry().findSingleByType(MaintainxSenders.class);
        if (senders != null) {
            filter.expectHeld(senders.heldReadings(connector));
        }
        subscription = new TagSubscription(gateway, connector.name(), connector.tags(), connector.deadband(),
                endpoint.subscriptionOptions(), filter);
        subscription.start();
        endpoint.getComponent().register(connector.name(), this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().unregister(getEndpoint().getConnector(), this);
        if (subscription != null) {
            subscription.stop();
        }
        if (filter != null) {
            // The route's processors still run while its consumer stops: the latest values of open
            // minimum-interval windows go to the outbox now rather than being lost.
            flushingOnStop = true;
            try {
                filter.flushAll();
            } finally {
                flushingOnStop = false;
            }
        }
        super.doStop();
        long missed = notAcceptedWhileStopping.getAndSet(0);
        if (missed > 0) {
            org.slf4j.LoggerFactory.getLogger(IgnitionTagsConsumer.class).warn(
                    "Connector {}: {} readings arrived while the route was stopping and were not accepted; a tag's current value is compared with MaintainX again at the next start",
                    getEndpoint().getConnector(), missed);
        }
    }

    /**
     * The readings of one server notification travel as one exchange (a List of MeterReading), so
     * that they reach the outbox in one transaction; a reading on its own (a minimum-interval window
     * closing) travels alone.
     */
    @Override
    public void notificationStart() {
        openBatch.set(new ArrayList<>());
    }

    @Override
    public void notificationEnd() {
        List<MeterReading> batch = openBatch.get();
        openBatch.remove();
        if (batch != null && !batch.isEmpty()) {
            process(batch, batch.get(0));
        }
    }

    @Override
    public void reading(MeterReading reading) {
        List<MeterReading> batch = openBatch.get();
        if (batch != null) {
            batch.add(reading);
        } else {
            process(reading, reading);
        }
    }

    private void process(Object body, MeterReading first) {
        if (!isRunAllowed() && !flushingOnStop) {
            // Notifications still in flight while the route stops: not accepted, counted and logged once at stop.
            notAcceptedWhileStopping.addAndGet(body instanceof List<?> list ? list.size() : 1);
            return;
        }
        Exchange exchange = createExchange(true);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(HEADER_CONNECTOR, first.connector());
        exchange.getMessage().setHeader(HEADER_TAG_PATH, first.tagPath());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            int count = body instanceof List<?> list ? list.size() : 1;
            getExceptionHandler().handleException(count + " reading(s) of connector " + first.connector() + " (first: " + first.tagPath()
                    + ") not accepted into the outbox", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    /** Subscribed with every tag; see {@link #subscriptionState()} for the counts and the refused tags. */
    public boolean isSubscribed() {
        return subscription != null && subscription.isSubscribed();
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

    public Map<String, Long> badQualityCounts() {
        return filter == null ? Map.of() : filter.badQualityCounts();
    }
}
