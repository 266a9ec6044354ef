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
import com.plantbridge.reading.MeterReading;
import com.plantbridge.redundancy.ShutdownDrain;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;

/**
 * One sender per enabled connector, one request budget per token. Senders start with the node, not with leadership: a node drains what its outbox holds from
 * before a restart or a demotion.
 *
 * <p>Measured defect this class is shaped by: a sender created and started inside
 * {@code ConcurrentHashMap.computeIfAbsent} while a settings change held this object's monitor and
 * waited for a sender in AUTH_ERROR to stop left the node deadlocked (status OK, nothing accepted).
 * Now readings enter the outbox through an intake that never touches a sender, and a settings
 * change only swaps map entries and signals senders, under a lock held for no wait.
 */
public final class MaintainxSenders extends ServiceSupport implements ShutdownDrain {

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
    private final RefusedMeterFiles refusedMeters;
    private volatile SenderEvents events = SenderEvents.NONE;
    private final Map<String, ReadingIntake> intakes = new ConcurrentHashMap<>();
    private final Map<String, ConnectorSender> senders = new ConcurrentHashMap<>();
    /** Guards the set of senders; never held across a wait. */
    private final Object lifecycle = new Object();
    private boolean running;
    private volatile MaintainxClient client;
    private volatile Settlement settlement;
    /** Drained at shutdown already: the stop does not wait for the same senders a second time. */
    private volatile boolean drained;

    public MaintainxSenders(CamelContext context, ActiveSettings settings, SenderSettings senderSettings, String baseUrl, String userAgent,
                            RateLimiters limiters, Outbox outbox, ConnectorSender.Leadership leadership, Duration stallAfter,
                            MeterProvisioner meters, ObjectMapper json, java.nio.file.Path dataDir) {
        this.json = json;
        this.refusedMeters = new RefusedMeterFiles(dataDir, json);
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
                    refusedMeters.discard(name);
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
        TokenBudget budget = limiters.forToken(connector);
        // Reads of MaintainX keep to their share while this connector's readings wait.
        budget.readingsOf(connector.name(), () -> outbox.queue(connector.name()).size() > 0);
        ConnectorSender sender = new ConnectorSender(context, connector, senderSettings, budget, client, outbox, settlement, events,
                refusedMeters.open(connector));
        senders.put(connector.name(), sender);
        sender.start();
    }

    /** Reads MaintainX for batches in flight at a crash; set before the senders start. */
    public void settleWith(Settlement settlement) {
        this.settlement = settlement;
    }

    /** The client every request to MaintainX goes through; null before the senders start. */
    public MaintainxClient client() {
        return client;
    }

    /** Every token's budget. */
    public RateLimiters budgets() {
        return limiters;
    }

    /** Where senders started from now on report their requests, deliveries and quarantines (metrics, status page). */
    public void reportTo(SenderEvents listener) {
        this.events = listener;
    }

    /** Puts a connector's quarantined readings back in line and forgets its refused meters; returns how many. */
    public int replayQuarantine(String connector) throws SQLException {
        // Forgotten first: the sender must not quarantine the replayed readings again.
        refusedMeters.forget(connector);
        int count = outbox.replayQuarantine(connector);
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
        drained = false;
        client = new MaintainxClient(context, baseUrl, userAgent, json);
        synchronized (lifecycle) {
            running = true;
            for (ConnectorSettings connector : settings.current().enabledConnectors()) {
                startSender(connector);
            }
            refusedMeters.forgetAllBut(senders.keySet());
        }
    }

    /**
     * At shutdown, once this node no longer leads: every sender delivers what waits, for up to
     * {@link #DRAIN_MILLIS} in all, and stops. Called before Camel stops camel-http (see {@link ShutdownDrain}).
     */
    @Override
    public void drainAfterLeadership() throws InterruptedException {
        List<ConnectorSender> draining;
        synchronized (lifecycle) {
            draining = new ArrayList<>(senders.values());
        }
        drained = true;
        drain(draining);
    }

    private static void drain(List<ConnectorSender> draining) throws InterruptedException {
        draining.forEach(ConnectorSender::drain);
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        for (ConnectorSender sender : draining) {
            sender.awaitStopped(deadline - System.currentTimeMillis());
        }
    }

    /** Lets every sender still running drain for up to {@link #DRAIN_MILLIS}, then stops the rest; waits for none longer. */
    @Override
    protected void doStop() throws Exception {
        List<ConnectorSender> stopping;
        synchronized (lifecycle) {
            running = false;
            stopping = new ArrayList<>(senders.values());
            senders.clear();
        }
        if (!drained) {
            drain(stopping);
        }
        stopping.forEach(ConnectorSender::stop);
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        for (ConnectorSender sender : stopping) {
            if (!sender.awaitStopped(deadline - System.currentTimeMillis())) {
                LOG.warn("Connector {}: its sender is still in a request to MaintainX at shutdown; the batch stays in the outbox", sender.connectorName());
            }
        }
    }
}
