package com.plantbridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The baseline: a plain Eclipse Milo 1.0.8 client, no Camel. One OpcUaClient, one subscription
 * (publishing interval 100 ms as the bridge), one monitored item per tag with sampling interval 0 and
 * queue 20 (as the bridge), and one sender thread posting JSON arrays with java.net.http, batched the
 * same way as the bridge (full at batchSize, or when the oldest reading waited batchDelay). No filter,
 * no rate limit, no retries: the least a client that does this job must do.
 */
final class RawMiloClient implements AutoCloseable {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private record Pending(long meterId, double value, Instant readingDate, long enqueuedNanos) {
    }

    private final OpcUaClient client;
    private final OpcUaSubscription subscription;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI readingsUri;
    private final String token;
    private final int batchSize;
    private final long batchDelayNanos;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final Object signal = new Object();
    private final Thread sender;
    private final Instant subscribedAfter = Instant.now();
    private volatile boolean running = true;
    private volatile long failures;

    RawMiloClient(String endpoint, String namespaceUri, Map<String, Long> meterByPath, String baseUrl, String token,
                  int batchSize, long batchDelayMs) throws Exception {
        this.readingsUri = URI.create(baseUrl + "/meterreadings");
        this.token = token;
        this.batchSize = batchSize;
        this.batchDelayNanos = TimeUnit.MILLISECONDS.toNanos(batchDelayMs);
        client = OpcUaClient.create(endpoint,
                endpoints -> endpoints.stream().filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())).findFirst(),
                transport -> { },
                config -> config.setApplicationName(LocalizedText.english("bench raw milo client"))
                        .setApplicationUri("urn:plantbridge:bench:raw"));
        client.connect();
        UShort ns = client.readNamespaceTable().getIndex(namespaceUri);
        subscription = new OpcUaSubscription(client, 100.0);
        subscription.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onDataReceived(OpcUaSubscription s, List<OpcUaMonitoredItem> items, List<DataValue> values) {
                long now = System.nanoTime();
                for (int i = 0; i < items.size(); i++) {
                    DataValue dv = values.get(i);
                    if (!dv.getStatusCode().isGood() || !(dv.getValue().getValue() instanceof Number number)) {
                        continue;
                    }
                    Instant date = dv.getSourceTime() != null ? dv.getSourceTime().getJavaInstant() : Instant.now();
                    if (date.isBefore(subscribedAfter)) {
                        continue; // initial values, as the bridge skips them
                    }
                    queue.addLast(new Pending((Long) items.get(i).getUserObject().orElseThrow(), number.doubleValue(), date, now));
                }
                if (queue.size() >= RawMiloClient.this.batchSize) {
                    synchronized (signal) {
                        signal.notifyAll();
                    }
                }
            }
        });
        subscription.create();
        List<OpcUaMonitoredItem> items = new ArrayList<>(meterByPath.size());
        meterByPath.forEach((path, meterId) -> {
            OpcUaMonitoredItem item = new OpcUaMonitoredItem(
                    new ReadValueId(new NodeId(ns, path), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE), MonitoringMode.Reporting);
            item.setSamplingInterval(0.0);
            item.setQueueSize(uint(20));
            item.setDiscardOldest(true);
            item.setUserObject(meterId);
            items.add(item);
        });
        subscription.addMonitoredItems(items);
        subscription.createMonitoredItems();
        sender = new Thread(this::send, "raw-sender");
        sender.setDaemon(true);
        sender.start();
    }

    long failures() {
        return failures;
    }

    private void send() {
        StringBuilder json = new StringBuilder(64 * 1024);
        while (running) {
            try {
                awaitBatch();
                if (queue.isEmpty()) {
                    continue;
                }
                json.setLength(0);
                json.append('[');
                int n = 0;
                Pending next;
                while (n < batchSize && (next = queue.pollFirst()) != null) {
                    if (n++ > 0) {
                        json.append(',');
                    }
                    json.append("{\"meterId\":").append(next.meterId())
                            .append(",\"value\":").append(next.value())
                            .append(",\"readingDate\":\"").append(ISO_MILLIS.format(next.readingDate())).append("\"}");
                }
                json.append(']');
                HttpRequest request = HttpRequest.newBuilder(readingsUri)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    failures++;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
            }
        }
    }

    private void awaitBatch() throws InterruptedException {
        synchronized (signal) {
            while (running) {
                Pending oldest = queue.peekFirst();
                if (queue.size() >= batchSize) {
                    return;
                }
                long wait = oldest == null ? TimeUnit.MILLISECONDS.toNanos(200) : oldest.enqueuedNanos() + batchDelayNanos - System.nanoTime();
                if (oldest != null && wait <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, Math.max(wait, 1_000_000));
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        sender.interrupt();
        sender.join(5_000);
        try {
            subscription.delete();
        } catch (Exception e) {
            // the session close below drops it anyway
        }
        client.disconnect();
    }
}
