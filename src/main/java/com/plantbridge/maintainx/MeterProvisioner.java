package com.plantbridge.maintainx;

import java.io.IOException;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxReading;
import com.plantbridge.reading.LastReading;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;

/**
 * Finds or creates the MaintainX meter of each tag that has no meter-id (see {@link MeterNames}).
 * A tag's meter is first looked up by name in MaintainX's list of automated meters, and created
 * ({@code POST /meters}, AUTOMATED_SENSOR) only when no meter has that name, so that neither a
 * retry, a crash between creating and saving, nor the other node of the pair makes a second one:
 * the node beside the Backup finds, after a failover, the meters the Master's node created.
 *
 * <p>Only the leading node creates, and each creation counts as a capture for the leadership
 * fence: a handover waits until a creation under way has its answer, so the next leader's lookup
 * sees it. The name list is read again whenever this node's leadership term changed (the peer may
 * have created meters meanwhile) and after an answer that leaves open whether a meter was created
 * (no answer, 5xx). A node that does not lead only looks up the tags whose readings wait in its
 * outbox, at most every {@value #STANDBY_LOOKUP_MS} ms. Lookups and creation spend at most
 * {@link CreationBudget}'s share of each token's requests.
 *
 * <p>A mapping is saved in the data dir (see {@link AutoMeters}), then the readings that waited
 * for it move to the connector's line and the tag filters compare the tag's current value with the
 * meter's last reading, all before any newer reading of the tag can enter the outbox.
 */
public final class MeterProvisioner extends ServiceSupport implements MeterDirectory {

    /** What finding and creating meters needs of this node's leadership. */
    public interface Leadership {
        boolean isLeader();

        /** Counts the times this node took leadership: a new term means the peer may have created meters meanwhile. */
        long term();

        /** True, and counted until {@link #exit()}, while this node leads (a handover waits for it). */
        boolean enter();

        void exit();
    }

    static final long LEADING_ROUND_MS = 2_000;
    static final long STANDBY_LOOKUP_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(MeterProvisioner.class);

    /** A tag that needs a meter; {@code mayCreate} false: only found by name (readings left from an earlier run). */
    private record Need(MeterNeed need, boolean mayCreate) {
    }

    /** MaintainX's automated meters by name, as read in one leadership term. */
    private static final class NameIndex {
        final long term;
        final long readAtMillis;
        final Map<String, MaintainxClient.ListedMeter> byName = new HashMap<>();
        boolean stale;

        NameIndex(long term, long readAtMillis, List<MaintainxClient.ListedMeter> meters) {
            this.term = term;
            this.readAtMillis = readAtMillis;
            meters.forEach(m -> byName.putIfAbsent(m.name(), m));
        }
    }

    /** What status shows of a connector's meters found or created by name. */
    public record ConnectorMeters(Map<String, Long> mapped, int waitingForMeter, Map<String, String> failures) {
    }

    private final CamelContext context;
    private final ActiveSettings settings;
    private final String baseUrl;
    private final String userAgent;
    private final CreationBudget budget;
    private final Outbox outbox;
    private final Leadership leadership;
    private final AutoMeters store;
    private final ObjectMapper json;
    private final Map<String, Map<String, Need>> pending = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> failures = new ConcurrentHashMap<>();
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Map<TokenKey, NameIndex> indexes = new HashMap<>();
    private final Object schedule = new Object();
    private ScheduledExecutorService worker;
    private ScheduledFuture<?> nextRound;
    private volatile MaintainxClient client;
    private String lastLookupProblem;

    public MeterProvisioner(CamelContext context, ActiveSettings settings, String baseUrl, String userAgent, RateLimiters limiters,
                            Outbox outbox, Leadership leadership, java.nio.file.Path dataDir, ObjectMapper json) {
        this.context = context;
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.userAgent = userAgent;
        this.budget = new CreationBudget(limiters);
        this.outbox = outbox;
        this.leadership = leadership;
        this.store = new AutoMeters(dataDir, json);
        this.json = json;
    }

    @Override
    public long meterOf(String connector, String tagPath) {
        return store.meterOf(connector, tagPath);
    }

    /** The meters found or created for the connector's tags, by tag path. */
    public Map<String, Long> mapped(String connector) {
        return store.of(connector);
    }

    @Override
    public void need(ConnectorSettings connector, List<MeterNeed> needs) {
        Map<String, Need> own = pending.computeIfAbsent(connector.name(), c -> new ConcurrentHashMap<>());
        for (MeterNeed need : needs) {
            if (store.meterOf(connector.name(), need.tagPath()) == 0) {
                own.put(need.tagPath(), new Need(need, true));
                Optional.ofNullable(failures.get(connector.name())).ifPresent(f -> f.remove(need.tagPath()));   // asked again: tried again
            }
        }
        scheduleRound(0);
    }

    @Override
    public void addListener(String connector, Listener listener) {
        listeners.computeIfAbsent(connector, c -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void removeListener(String connector, Listener listener) {
        Optional.ofNullable(listeners.get(connector)).ifPresent(l -> l.remove(listener));
    }

    public ConnectorMeters status(String connector) {
        return new ConnectorMeters(store.of(connector), pending.getOrDefault(connector, Map.of()).size(),
                new TreeMap<>(failures.getOrDefault(connector, Map.of())));
    }

    @Override
    protected void doStart() throws Exception {
        store.load();
        // Saved, then the node stopped before the waiting readings moved on: they move now.
        for (String connector : store.connectors()) {
            outbox.meterFound(connector, store.of(connector), waiting -> { });
        }
        client = new MaintainxClient(context, baseUrl, userAgent, json);
        worker = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "maintainx-meters");
        scheduleRound(0);
    }

    @Override
    protected void doStop() throws Exception {
        if (worker != null) {
            context.getExecutorServiceManager().shutdownNow(worker);
        }
    }

    private void scheduleRound(long delayMs) {
        synchronized (schedule) {
            if (worker == null || worker.isShutdown()) {
                return;
            }
            if (nextRound != null && !nextRound.isDone() && nextRound.getDelay(TimeUnit.MILLISECONDS) <= delayMs) {
                return;
            }
            if (nextRound != null) {
                nextRound.cancel(false);
            }
            try {
                nextRound = worker.schedule(this::round, delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void round() {
        try {
            boolean leading = leadership.isLeader();
            addWaitingReadings();
            Map<TokenKey, List<ConnectorSettings>> byToken = new LinkedHashMap<>();
            for (String name : List.copyOf(pending.keySet())) {
                Optional<ConnectorSettings> connector = settings.current().connector(name)
                        .filter(c -> c.enabled() && c.autoCreateMeters());
                if (connector.isEmpty()) {
                    pending.remove(name);   // removed, disabled or no longer creating: nothing to do
                } else if (!pending.get(name).isEmpty()) {
                    byToken.computeIfAbsent(TokenKey.of(connector.get()), k -> new ArrayList<>()).add(connector.get());
                }
            }
            for (Map.Entry<TokenKey, List<ConnectorSettings>> token : byToken.entrySet()) {
                work(token.getKey(), token.getValue(), leading);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException | SQLException e) {
            LOG.error("Finding or creating meters failed; trying again in {} ms", LEADING_ROUND_MS, e);
        }
        if (pending.values().stream().anyMatch(m -> !m.isEmpty())) {
            scheduleRound(leadership.isLeader() ? LEADING_ROUND_MS : STANDBY_LOOKUP_MS);
        }
    }

    /** Readings of tags without a meter that wait in the outbox (e.g. from before a restart): their meter is looked up, never created. */
    private void addWaitingReadings() {
        for (ConnectorSettings connector : settings.current().enabledConnectors()) {
            if (!connector.autoCreateMeters()) {
                continue;
            }
            for (String tag : outbox.queue(Outbox.awaitingMeterLine(connector.name())).tagPaths()) {
                if (store.meterOf(connector.name(), tag) == 0) {
                    pending.computeIfAbsent(connector.name(), c -> new ConcurrentHashMap<>())
                            .putIfAbsent(tag, new Need(new MeterNeed(tag, null, connector.assetId()), false));
                }
            }
        }
    }

    private void work(TokenKey key, List<ConnectorSettings> connectors, boolean leading) throws InterruptedException, SQLException {
        NameIndex index = index(key, connectors.get(0), leading);
        if (index == null) {
            return;
        }
        for (ConnectorSettings connector : connectors) {
            Map<String, Need> own = pending.getOrDefault(connector.name(), Map.of());
            List<AutoMeters.Entry> found = new ArrayList<>();
            Map<String, LastReading> lastReadings = new HashMap<>();
            for (Need need : List.copyOf(own.values())) {
                String name = MeterNames.of(connector.name(), need.need().tagPath());
                MaintainxClient.ListedMeter meter = index.byName.get(name);
                if (meter != null) {
                    found.add(new AutoMeters.Entry(need.need().tagPath(), meter.id(), name));
                    if (meter.lastReading() != null) {
                        lastReadings.put(need.need().tagPath(), meter.lastReading());
                    }
                }
            }
            if (!found.isEmpty()) {
                resolve(connector, found, lastReadings);
                LOG.info("Connector {}: {} tags have their meter, found in MaintainX by name", connector.name(), found.size());
            }
            if (leading && !create(connector, index)) {
                return;   // the budget, the token or an unclear answer stops this token's round
            }
        }
    }

    /** The name index of a token: kept while this node leads in the same term, read again otherwise. */
    private NameIndex index(TokenKey key, ConnectorSettings asker, boolean leading) throws InterruptedException {
        NameIndex index = indexes.get(key);
        long term = leadership.term();
        long now = System.currentTimeMillis();
        boolean fresh = index != null && !index.stale && (leading ? index.term == term : now - index.readAtMillis < STANDBY_LOOKUP_MS);
        if (fresh) {
            return index;
        }
        try {
            index = new NameIndex(term, now, client.automatedMeters(asker, budget.slot(asker)));
        } catch (IOException e) {
            String problem = e.getMessage();
            if (!problem.equals(lastLookupProblem)) {
                LOG.warn("Connector {}: MaintainX's meter list could not be read to find meters by name ({}); tags without a meter keep their readings"
                        + " waiting; trying again", asker.name(), problem);
                lastLookupProblem = problem;
            }
            return null;
        }
        lastLookupProblem = null;
        indexes.put(key, index);
        return index;
    }

    /** Creates the meters of the connector's remaining tags while the budget lasts; false when this token's round must stop. */
    private boolean create(ConnectorSettings connector, NameIndex index) throws InterruptedException, SQLException {
        Map<String, Need> own = pending.getOrDefault(connector.name(), Map.of());
        int created = 0;
        try {
            for (Need need : List.copyOf(own.values())) {
                if (!need.mayCreate() || store.meterOf(connector.name(), need.need().tagPath()) != 0) {
                    continue;
                }
                String name = MeterNames.of(connector.name(), need.need().tagPath());
                if (!leadership.enter()) {
                    return false;   // no longer leading: the leader creates
                }
                MaintainxClient.Creation creation;
                try {
                    MaintainxClient.Slot slot = budget.slot(connector);
                    if (!slot.take()) {
                        return false;   // the share of this window is spent: the next round goes on
                    }
                    String unit = need.need().unit() != null ? need.need().unit() : connector.defaultUnit();
                    creation = client.createMeter(connector, name, unit, need.need().assetId(), slot.alreadyTaken());
                } finally {
                    leadership.exit();
                }
                PostOutcome outcome = creation.outcome();
                if (creation.meterId() != null) {
                    index.byName.put(name, new MaintainxClient.ListedMeter(creation.meterId(), name, null));
                    resolve(connector, List.of(new AutoMeters.Entry(need.need().tagPath(), creation.meterId(), name)), Map.of());
                    LOG.debug("Connector {}: meter {} '{}' created for tag {}", connector.name(), creation.meterId(), name, need.need().tagPath());
                    created++;
                } else if (!refused(connector, need, name, outcome, index)) {
                    return false;
                }
            }
            return true;
        } finally {
            if (created > 0) {
                LOG.info("Connector {}: {} meters created in MaintainX; {} tags still wait for one", connector.name(), created, own.size());
            }
        }
    }

    /** What to do after a creation that did not answer 201; false when this token's round stops. */
    private boolean refused(ConnectorSettings connector, Need need, String name, PostOutcome outcome, NameIndex index) {
        if (outcome.tooManyRequests()) {
            return false;   // the client told the budget to wait for the reset
        }
        if (outcome.unauthorized()) {
            LOG.error("Connector {}: MaintainX refused the token when creating meter '{}' ({}); trying again later", connector.name(), name,
                    outcome.describe());
            return false;
        }
        if (outcome.refused()) {
            failures.computeIfAbsent(connector.name(), c -> new ConcurrentHashMap<>()).put(need.need().tagPath(), outcome.describe());
            Optional.ofNullable(pending.get(connector.name())).ifPresent(p -> p.remove(need.need().tagPath()));
            LOG.error("Connector {}: MaintainX refused to create meter '{}' for tag {} ({}); its readings wait in the outbox; tried again at the next scan",
                    connector.name(), name, need.need().tagPath(), outcome.describe());
            return true;
        }
        if (outcome.mayHaveStored()) {
            index.stale = true;   // the meter may exist now: the name is looked up again before anything is created
        }
        LOG.warn("Connector {}: creating meter '{}' got {}; trying again{}", connector.name(), name, outcome.describe(),
                outcome.mayHaveStored() ? " after looking the name up again" : "");
        return false;
    }

    /**
     * Saves the mappings, moves the readings that waited for them and lets the tag filters compare
     * the tags' current values with the meters' last readings, in that order.
     */
    private void resolve(ConnectorSettings connector, List<AutoMeters.Entry> entries, Map<String, LastReading> lastReadings)
            throws SQLException {
        Map<String, Long> meters = new LinkedHashMap<>();
        entries.forEach(e -> meters.put(e.tag(), e.meterId()));
        List<Listener> told = listeners.getOrDefault(connector.name(), List.of());
        List<OutboxReading> moved = outbox.meterFound(connector.name(), meters, waiting -> {
            // What a tag's current value is compared with: the newer of MaintainX's last reading and the
            // newest reading that waited here (on its way now, e.g. captured before a restart); told
            // before the meter is, so that no value of the tag meets the meter without it. Waiting
            // readings are in line order and their dates in milliseconds: of two in the same
            // millisecond the later in line is the newer (taking the first resent the last one).
            Map<String, LastReading> references = new HashMap<>(lastReadings);
            for (OutboxReading r : waiting) {
                LastReading waited = new LastReading(r.reading().value().doubleValue(),
                        r.reading().readingDate().truncatedTo(ChronoUnit.MILLIS));
                references.merge(r.reading().tagPath(), waited, (a, b) -> b.readingDate().isBefore(a.readingDate()) ? a : b);
            }
            for (Listener listener : told) {
                entries.forEach(e -> listener.meterReference(e.tag(), references.get(e.tag())));
            }
            store.save(connector.name(), entries);
        });
        Optional.ofNullable(pending.get(connector.name())).ifPresent(own -> meters.keySet().forEach(own::remove));
        for (Listener listener : told) {
            entries.forEach(e -> listener.meterFound(e.tag(), e.meterId()));
        }
        if (!moved.isEmpty()) {
            LOG.info("Connector {}: {} readings that waited for their meter are in line now", connector.name(), moved.size());
        }
    }
}
