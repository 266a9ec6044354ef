package com.plantbridge.tags;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.MeterReading;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ConnectorSettings;

/** One subscription for all tags of one connector; every reading that passes the filter is one exchange. */
public class IgnitionTagsConsumer extends DefaultConsumer {

    public static final String HEADER_CONNECTOR = "BridgeConnector";
    public static final String HEADER_TAG_PATH = "BridgeTagPath";

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
        filter = endpoint.getComponent().filter(connector, () -> new TagFilter(connector, gateway.executor(), this::deliver,
                () -> redundancy == null ? null : redundancy.alreadyHandledBefore()));
        filter.attach(this::deliver);
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
            filter.flushAll();
        }
        super.doStop();
    }

    private void deliver(MeterReading reading) {
        Exchange exchange = createExchange(true);
        exchange.getMessage().setBody(reading);
        exchange.getMessage().setHeader(HEADER_CONNECTOR, reading.connector());
        exchange.getMessage().setHeader(HEADER_TAG_PATH, reading.tagPath());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Reading of " + reading.tagPath() + " not accepted", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    public boolean isSubscribed() {
        return subscription != null && subscription.isSubscribed();
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
