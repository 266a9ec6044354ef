package com.plantbridge.maintainx;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.Outbox;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;

/**
 * One sender per enabled connector, one rate limiter per token, one meter-list read per token at a
 * time. Senders start with the node, not with leadership: a node drains what its outbox holds from
 * before a restart or a demotion.
 *
 * <p>Measured defect this class is shaped by: a sender created and started inside
 * {@code ConcurrentHashMap.computeIfAbsent} while a settings change held this object's monitor and
 * waited for a sender in AUTH_ERROR to stop left the node deadlocked (status OK, nothing accepted).
 * Now readings enter the outbox through an intake that never touches a sender, and a settings
 * change only swaps map entries and signals senders, under a lock held for no wait.
 */
public final class MaintainxSenders extends ServiceSupport {

    /** How long senders may drain at shutdown before they are stopped. */
    static final long DRAIN_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(MaintainxSenders.class);

    private final CamelContext context;
    private final ActiveSettings settings;
    private final SenderSettings senderSettings;
    private final String baseUrl;
    private final String userAgent;
    private final RateLimiters limiters;
    private final Outbox outbox;
    private final ConnectorSender.Leadership leadership;
    private final Duration stallAfter;
    private final MeterProvisioner meters;
    private final ObjectMapper json;
    private volatile SenderEvents events = SenderEvents.NONE;
    private final Map<String, ReadingIntake> intakes = new ConcurrentHashMap<>();
    private final Map<String, ConnectorSender> senders = new ConcurrentHashMap<>();
    /** Guards the set of senders; never held across a wait. */
    private final Object lifecycle = new Object();
    private boolean running;
    private ScheduledExecutorService lookups;
    private volatile MaintainxClient client;
    private volatile MeterListReads meterList;

    public MaintainxSenders(CamelContext context, ActiveSettings settings, SenderSettings senderSettings, String baseUrl, String userAgent,
                            RateLimiters limiters, Outbox outbox, ConnectorSender.Leadership leadership, Duration stallAfter,
                            MeterProvisioner meters, ObjectMapper json) {
        this.json = json;
        this.context = context;
        this.settings = settings;
        this.senderSettings = senderSettings;
        this.baseUrl = baseUrl;
        this.userAgent = userAgent;
        this.limiters = limiters;
        this.outbox = outbox;
        this.leadership = leadership;
        this.stallAfter = stallAfter;
        this.meters = meters;
    }

    /** Puts readings of a connector in the outbox; when this returns, they survive a crash. */
    public boolean accept(String connector, List<MeterReading> readings, boolean capturedWhileLeading) throws SQLException {
        return intakes.computeIfAbsent(connector, name -> new ReadingIntake(name, outbox, leadership, meters::meterOf))
                .accept(readings, capturedWhileLeading);
    }

    /**
     * What MaintainX holds, or will hold, for the connector's meters: the newest of its last reading
     * (read in the background, shared with the other connectors of its token) and of the readings
     * this node's outbox holds for it. A subscription started again (a settings change, leadership)
     * reports values the outbox may still be delivering; they must not be sent twice. Fails when
     * MaintainX cannot be asked (the caller then falls back to its own rule).
     */
    public CompletableFuture<Map<Long, MaintainxClient.LastReading>> heldReadings(ConnectorSettings connector) {
        MeterListReads reads = meterList;
        if (reads == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the MaintainX senders are not started"));
        }
        // Taken before MaintainX is asked: a reading delivered meanwhile is then in one of the two answers.
        Map<Long, MaintainxClient.LastReading> waiting = waitingReadings(connector);
        return reads.newestHeld(connector).thenCombine(assetStatuses(connector), (held, statuses) -> {
            Map<Long, MaintainxClient.LastReading> merged = new java.util.HashMap<>(held);
            merged.putAll(statuses);
            waiting.forEach((meter, r) -> merged.merge(meter, r, (a, b) -> b.readingDate().isAfter(a.readingDate()) ? b : a));
            return merged;
        });
    }

    /** The newest reading per meter this node's outbox still holds for the connector: what it will deliver. */
    public Map<Long, MaintainxClient.LastReading> waitingReadings(ConnectorSettings connector) {
        Map<Long, MaintainxClient.LastReading> waiting = new java.util.HashMap<>();
        outbox.queue(connector.name()).newestPerMeter().forEach((meter, r) -> waiting.put(meter,
                new MaintainxClient.LastReading(r.reading().value().doubleValue(), r.reading().readingDate().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))));
        return waiting;
    }

    /**
     * The current status in MaintainX of each asset whose status the connector's tags drive, by
     * {@link MeterReading#assetKey}: one {@code GET /assetstatuses} per asset, in the background.
     */
    private CompletableFuture<Map<Long, MaintainxClient.LastReading>> assetStatuses(ConnectorSettings connector) {
        java.util.Set<Long> assets = new java.util.TreeSet<>();
        connector.tags().stream().filter(t -> t.assetStatus() != null).forEach(t -> assets.add(t.assetStatus().assetId()));
        connector.folders().stream().filter(f -> f.assetStatus() != null).forEach(f -> assets.add(f.assetStatus().assetId()));
        if (assets.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        RateLimiter limiter = limiters.forToken(connector);
        return CompletableFuture.supplyAsync(() -> {
            Map<Long, MaintainxClient.LastReading> statuses = new java.util.HashMap<>();
            try {
                for (long asset : assets) {
                    MaintainxClient.LastReading current = client.currentAssetStatus(connector, asset, () -> limiter.tryAcquire(10_000));
                    if (current != null) {
                        statuses.put(MeterReading.assetKey(asset), current);
                    }
                }
            } catch (java.io.IOException e) {
                LOG.warn("Connector {}: the assets' statuses could not be read from MaintainX ({}); a tag's current value is sent only if it changed"
                        + " after this node's gateway became Active", connector.name(), e.getMessage());
                throw new java.util.concurrent.CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            }
            return statuses;
        }, lookups);
    }

    /**
     * New settings: senders of changed or removed connectors stop (their readings stay in the
     * outbox) and the enabled connectors get senders with the new settings. Returns at once, in
     * whatever state the senders are; a new sender takes over its line when the old one has let go.
     */
    public void apply(ModuleSettings next, Set<String> changed) {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            for (String name : List.copyOf(senders.keySet())) {
                boolean keep = next.connector(name).filter(ConnectorSettings::enabled).isPresent() && !changed.contains(name);
                if (!keep) {
                    senders.remove(name).stop();
                }
            }
            for (ConnectorSettings connector : next.enabledConnectors()) {
                if (!senders.containsKey(connector.name())) {
                    startSender(connector);
                }
            }
        }
    }

    private void startSender(ConnectorSettings connector) {
        ConnectorSender sender = new ConnectorSender(context, connector, senderSettings, limiters.forToken(connector), client, outbox, meterList, events);
        senders.put(connector.name(), sender);
        sender.start();
    }

    /** Where senders started from now on report their requests, deliveries and quarantines (metrics, status page). */
    public void reportTo(SenderEvents listener) {
        this.events = listener;
    }

    /** Puts a connector's quarantined readings back in line and forgets its refused meters; returns how many. */
    public int replayQuarantine(String connector) throws SQLException {
        int count = outbox.replayQuarantine(connector);
        existing(connector).ifPresent(ConnectorSender::forgetRefusedMeters);
        LOG.info("Connector {}: {} quarantined readings put back in line", connector, count);
        return count;
    }

    /** A sender that has made no progress for maintainx.watchdog.stall-after while readings wait. */
    public Optional<ConnectorSender.Stall> stall(ConnectorSender sender) {
        return sender.stall(stallAfter, java.time.Instant.now());
    }

    public Optional<ConnectorSender> existing(String connectorName) {
        return Optional.ofNullable(senders.get(connectorName));
    }

    public Collection<ConnectorSender> all() {
        return senders.values();
    }

    /** The connector's meters: its tags' meter-ids and the meters found or created for the others. */
    private java.util.Set<Long> meterIds(ConnectorSettings connector) {
        java.util.Set<Long> ids = new java.util.HashSet<>(meters.mapped(connector.name()).values());
        connector.tags().stream().filter(com.plantbridge.settings.TagSettings::hasMeterId).forEach(t -> ids.add(t.meterId()));
        return ids;
    }

    /** The meters of tags without meter-id, found by name or created. */
    public MeterProvisioner meters() {
        return meters;
    }

    /** Readings of the connector that entered the outbox since the node started. */
    public long accepted(String connectorName) {
        ReadingIntake intake = intakes.get(connectorName);
        return intake == null ? 0 : intake.accepted();
    }

    public long discardedOnStandby(String connectorName) {
        ReadingIntake intake = intakes.get(connectorName);
        return intake == null ? 0 : intake.discardedOnStandby();
    }

    @Override
    protected void doStart() {
        lookups = context.getExecutorServiceManager().newScheduledThreadPool(this, "maintainx-lookup", 4);
        client = new MaintainxClient(context, baseUrl, userAgent, json);
        meterList = new MeterListReads(() -> client, limiters, settings::current, lookups, this::meterIds);
        synchronized (lifecycle) {
            running = true;
            for (ConnectorSettings connector : settings.current().enabledConnectors()) {
                startSender(connector);
            }
        }
    }

    /** Lets every sender drain for up to {@link #DRAIN_MILLIS}, then stops the rest; waits for none longer. */
    @Override
    protected void doStop() throws Exception {
        List<ConnectorSender> stopping;
        synchronized (lifecycle) {
            running = false;
            stopping = new ArrayList<>(senders.values());
            senders.clear();
        }
        stopping.forEach(ConnectorSender::drain);
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        for (ConnectorSender sender : stopping) {
            sender.awaitStopped(deadline - System.currentTimeMillis());
        }
        stopping.forEach(ConnectorSender::stop);
        deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        for (ConnectorSender sender : stopping) {
            if (!sender.awaitStopped(deadline - System.currentTimeMillis())) {
                LOG.warn("Connector {}: its sender is still in a request to MaintainX at shutdown; the batch stays in the outbox", sender.connectorName());
            }
        }
        if (lookups != null) {
            context.getExecutorServiceManager().shutdownNow(lookups);
        }
    }
}
