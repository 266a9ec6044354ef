package com.plantbridge.tags;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

@UriEndpoint(scheme = "ignition-tags", title = "Ignition tags", syntax = "ignition-tags:connector",
        consumerOnly = true, category = {Category.IOT})
public class IgnitionTagsEndpoint extends DefaultEndpoint {

    @UriPath(description = "Connector name in the module settings")
    @Metadata(required = true)
    private final String connector;
    @UriParam(defaultValue = "100", description = "OPC UA publishing interval in ms")
    private double publishingInterval = SubscriptionOptions.DEFAULT.publishingIntervalMs();
    @UriParam(defaultValue = "0", description = "Sampling interval in ms asked of the server for each tag; 0 = every change")
    private double samplingInterval = SubscriptionOptions.DEFAULT.samplingIntervalMs();
    @UriParam(defaultValue = "20", description = "Server-side queue of values per tag between publishes")
    private int queueSize = SubscriptionOptions.DEFAULT.queueSize();

    IgnitionTagsEndpoint(String uri, IgnitionTagsComponent component, String connector) {
        super(uri, component);
        this.connector = connector;
    }

    @Override
    public IgnitionTagsComponent getComponent() {
        return (IgnitionTagsComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("ignition-tags is for consuming tag values only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        IgnitionTagsConsumer consumer = new IgnitionTagsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    SubscriptionOptions subscriptionOptions() {
        return new SubscriptionOptions(publishingInterval, samplingInterval, queueSize);
    }

    public String getConnector() {
        return connector;
    }

    public double getPublishingInterval() {
        return publishingInterval;
    }

    public void setPublishingInterval(double publishingInterval) {
        this.publishingInterval = publishingInterval;
    }

    public double getSamplingInterval() {
        return samplingInterval;
    }

    public void setSamplingInterval(double samplingInterval) {
        this.samplingInterval = samplingInterval;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }
}
