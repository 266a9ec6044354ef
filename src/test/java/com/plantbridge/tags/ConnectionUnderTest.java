package com.plantbridge.tags;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import com.plantbridge.settings.TagSettings;
import com.plantbridge.testing.BareContext;

/**
 * A {@link GatewayConnection} and one {@link TagSubscription} in a bare Camel context: the OPC UA
 * client of a node without the rest of it, for tests of sessions, security and trust.
 */
final class ConnectionUnderTest implements AutoCloseable {

    final DefaultCamelContext context = BareContext.create();
    final GatewayConnection connection;
    final TagSubscription subscription;
    final List<Object> values = new CopyOnWriteArrayList<>();

    private ConnectionUnderTest(GatewaySettings settings, List<String> tags) throws Exception {
        connection = new GatewayConnection(settings);
        context.addService(connection, true, true);
        context.start();
        List<TagSettings> tagSettings = tags.stream().map(path -> new TagSettings(path, 1, null)).toList();
        subscription = new TagSubscription(connection, "test", tagSettings, 0, SubscriptionOptions.DEFAULT, this::onValue);
        subscription.start();
    }

    static ConnectionUnderTest start(GatewaySettings settings, String... tags) throws Exception {
        return new ConnectionUnderTest(settings, List.of(tags));
    }

    private void onValue(TagSettings tag, DataValue value) {
        values.add(value.getValue().getValue());
    }

    boolean subscribed() {
        return connection.isSessionActive() && subscription.isSubscribed();
    }

    @Override
    public void close() throws Exception {
        try {
            subscription.stop();
        } finally {
            context.close();
        }
    }
}
