package com.plantbridge.tags;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code ignition-tags:<connector>}: the values of a connector's Ignition tags, filtered into meter
 * readings. It does the job of camel-milo's milo-client consumer for many tags at once, with
 * sampling interval, queue size and deadband reaching the server and monitored items deleted on
 * stop (the two camel-milo 4.17 defects in DESIGN.md §5, proved by MiloClientDefectsTest).
 */
@Component("ignition-tags")
public class IgnitionTagsComponent extends DefaultComponent {

    private final Map<String, IgnitionTagsConsumer> consumers = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        IgnitionTagsEndpoint endpoint = new IgnitionTagsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    void register(String connector, IgnitionTagsConsumer consumer) {
        consumers.put(connector, consumer);
    }

    void unregister(String connector, IgnitionTagsConsumer consumer) {
        consumers.remove(connector, consumer);
    }

    /** The running consumer of a connector, for status. */
    public Optional<IgnitionTagsConsumer> consumer(String connector) {
        return Optional.ofNullable(consumers.get(connector));
    }
}
