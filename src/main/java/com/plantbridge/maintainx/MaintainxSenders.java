package com.plantbridge.maintainx;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.Outbox;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;
import com.plantbridge.settings.TagSettings;

/**
 * One sender per enabled connector and one rate limiter per token. Senders start with the node,
 * not with leadership: a node drains what its outbox holds from before a restart or a demotion.
 */
public final class MaintainxSenders extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(MaintainxSenders.class);

    private final ActiveSettings settings;
    private final Outbox outbox;
    private final ConnectorSender.Leadership leadership;
    private final SenderSettings senderSettings;
    private final String baseUrl;
    private final String userAgent;
    private final int rateLimit;
    private final long rateWindowMs;
    private final Map<String, ConnectorSender> senders = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final ExecutorService lookups = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "maintainx-lookup");
        t.setDaemon(true);
        return t;
    });
    private CamelContext camelContext;
    private MaintainxClient client;

    public MaintainxSenders(ActiveSettings settings, SenderSettings senderSettings, String baseUrl, String userAgent,
                            int rateLimit, long rateWindowMs, Outbox outbox, ConnectorSender.Leadership leadership) {
        this.settings = settings;
        this.outbox = outbox;
        this.leadership = leadership;
        this.senderSettings = senderSettings;
        this.baseUrl = baseUrl;
        this.userAgent = userAgent;
        this.rateLimit = rateLimit;
        this.rateWindowMs = rateWindowMs;
    }

    /**
     * What MaintainX holds now for the connector's meters, fetched in the background; fails when
     * MaintainX cannot be asked (the caller then falls back to its own rule).
     */
    public CompletableFuture<Map<Long, MaintainxClient.LastReading>> heldReadings(ConnectorSettings connector) {
        Set<Long> meters = connector.tags().stream().map(TagSettings::meterId).collect(Collectors.toSet());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client().lastReadings(connector, meters, limiter(connector));
            } catch (IOException e) {
                LOG.warn("Connector {}: MaintainX's last readings could not be read ({}); a tag's current value is sent only if it changed after this node's gateway became Active",
                        connector.name(), e.getMessage());
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, lookups);
    }

    private RateLimiter limiter(ConnectorSettings connector) {
        return limiters.computeIfAbsent(connector.token().reveal(), t -> new RateLimiter(rateLimit, rateWindowMs));
    }

    public ConnectorSender sender(String connectorName) {
        return senders.computeIfAbsent(connectorName, name -> {
            ConnectorSettings connector = settings.connector(name);
            RateLimiter limiter = limiter(connector);
            ConnectorSender sender = new ConnectorSender(connector, senderSettings, limiter, client(), outbox, leadership);
            try {
                sender.start();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("Connector " + name + ": the outbox cannot be read", e);
            }
            return sender;
        });
    }

    /**
     * New settings: senders of changed or removed connectors stop (their readings stay in the
     * outbox) and the enabled connectors get senders with the new settings.
     */
    public synchronized void apply(ModuleSettings next, Set<String> changed) throws InterruptedException {
        for (String name : List.copyOf(senders.keySet())) {
            boolean keep = next.connector(name).filter(c -> c.enabled()).isPresent() && !changed.contains(name);
            if (!keep) {
                senders.remove(name).stop(5_000);
            }
        }
        for (ConnectorSettings connector : next.enabledConnectors()) {
            sender(connector.name());
        }
    }

    public Optional<ConnectorSender> existing(String connectorName) {
        return Optional.ofNullable(senders.get(connectorName));
    }

    public Collection<ConnectorSender> all() {
        return senders.values();
    }

    private synchronized MaintainxClient client() {
        if (client == null) {
            client = new MaintainxClient(camelContext, baseUrl, userAgent);
        }
        return client;
    }

    @Override
    protected void doStart() {
        for (var connector : settings.current().enabledConnectors()) {
            sender(connector.name());
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (ConnectorSender sender : senders.values()) {
            sender.stop(5_000);
        }
        senders.clear();
        lookups.shutdownNow();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
