package com.plantbridge.knowledge;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.HeldReading;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.reading.LastReading;
import com.plantbridge.redundancy.Takeovers;
import com.plantbridge.settings.ConnectorSettings;

/**
 * What the pair knows MaintainX holds, so that a node taking over need not ask MaintainX: this
 * node's own ledger, and the peer's as it streams it over the signed peer link. A tag's current
 * value is decided from that knowledge at once unless the value's meter is unknown to both nodes
 * (a new pair: it is read from MaintainX in the background), or the value dates from the gap
 * between what the old leader last told this node and the last moment it may have captured (its
 * "horizon"): only those are read from MaintainX, by meter, within the reads' share of the budget.
 *
 * <p>The horizon of a takeover: the grant, when the peer handed over (it stood down first and its
 * knowledge is fetched before this node leads, so nothing is unknown); without an answer, this
 * node's gateway turning Active, less one poll (Ignition had made the old leader's gateway
 * inactive by then; in a network split both gateways are Active and both nodes send anyway, as
 * Ignition does); none without a peer.
 */
public final class PairKnowledge extends ServiceSupport implements ReferenceReadings, Takeovers {

    /** A value's notification reaches the leader this much after its source time, at most; the peer's knowledge is trusted up to that much before its answer. */
    static final Duration NOTIFICATION_MARGIN = Duration.ofSeconds(1);
    private static final Duration CHECKPOINT = Duration.ofSeconds(5);
    /** How long a takeover with the peer's grant waits for the peer's knowledge before it leads anyway. */
    private static final Duration PULL_AT_GRANT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(PairKnowledge.class);

    /** Fetches the peer's knowledge until it is current; false when the peer could not be asked in time. */
    @FunctionalInterface
    public interface PeerPull {
        boolean untilCurrent(Duration max);

        PeerPull NONE = max -> false;
    }

    /** Reads MaintainX for meters the pair cannot know about (see {@link PairKnowledge#learned}). */
    public interface Settler {
        void settle(ConnectorSettings connector, long key, Runnable whenRead);

        Settler NONE = (connector, key, whenRead) -> {
        };
    }

    private final CamelContext context;
    private final Outbox outbox;
    private final Path dataDir;
    private final Duration pollInterval;
    private final OwnLedger own = new OwnLedger();
    private final PeerLedger peer = new PeerLedger();
    private final Map<Long, Instant> readSinceTakeover = new ConcurrentHashMap<>();
    private volatile Settler settler = Settler.NONE;
    private volatile PeerPull pull = PeerPull.NONE;
    private volatile Instant horizon;
    private volatile String takeoverNote = "not leading since start";
    private KnowledgeStore store;
    private ScheduledExecutorService checkpoints;

    public PairKnowledge(CamelContext context, Outbox outbox, Path dataDir, Duration pollInterval) {
        this.context = context;
        this.outbox = outbox;
        this.dataDir = dataDir;
        this.pollInterval = pollInterval;
        outbox.keepDeliveriesIn(own);
    }

    public OwnLedger own() {
        return own;
    }

    public PeerLedger peer() {
        return peer;
    }

    public void settleWith(Settler settler) {
        this.settler = settler;
    }

    public void pullWith(PeerPull pull) {
        this.pull = pull;
    }

    @Override
    protected void doStart() throws Exception {
        Map<Long, LastReading> waiting = new HashMap<>();
        outbox.waitingNewest().forEach((key, r) -> waiting.put(key, OwnLedger.lastReading(r.reading())));
        own.load(outbox.heldReadings(), waiting);
        store = new KnowledgeStore(dataDir);
        KnowledgeStore.Stored stored = store.read();
        peer.load(stored.entries(), stored.epoch(), stored.last(), stored.knownUpTo());
        checkpoints = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "peer-knowledge-checkpoint");
        checkpoints.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT.toMillis(), CHECKPOINT.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Knowledge of MaintainX: {} meters from this node's deliveries and outbox, {} from the peer's node", own.size(), peer.size());
    }

    @Override
    protected void doStop() throws Exception {
        if (checkpoints != null) {
            context.getExecutorServiceManager().shutdownNow(checkpoints);
            checkpoints = null;
        }
        checkpoint();
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private void checkpoint() {
        KnowledgeStore current = store;
        PeerLedger.Checkpoint changes = peer.checkpoint();
        if (current == null || changes == null) {
            return;
        }
        try {
            current.write(changes);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("The peer's knowledge could not be kept in {} ({}); it is asked for again after a restart", dataDir.resolve("peer-knowledge"), e.toString());
        }
    }

    /** Fetches the peer's knowledge until current, for at most {@code max}; false without a peer or an answer. */
    public boolean peerCurrent(Duration max) {
        return pull.untilCurrent(max);
    }

    /** What both nodes know of one meter. */
    public Knowledge of(long key) {
        return own.get(key).with(peer.get(key));
    }

    @Override
    public Reference of(ConnectorSettings connector, long key, Instant sourceTime) {
        // MaintainX keeps reading dates to the millisecond.
        Instant valueDate = sourceTime.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Knowledge known = of(key);
        Instant h = horizon;
        if (!known.isKnown()) {
            // Nobody of the pair has delivered to it or read it: MaintainX is asked, unless the value is newer than
            // anything the old leader could have captured (then no node of the pair can have sent it).
            return h != null && valueDate.isAfter(h) ? new Reference(true, null) : Reference.UNSETTLED;
        }
        LastReading newest = known.newest();
        if (newest != null && !valueDate.isAfter(newest.readingDate())) {
            return new Reference(true, newest);
        }
        if (h != null && !valueDate.isAfter(h) && !readSinceTakeover.containsKey(key)) {
            Instant upTo = peer.knownUpTo();
            if (upTo == null || valueDate.isAfter(upTo)) {
                return Reference.UNSETTLED;   // the old leader may have captured it after it last told this node
            }
        }
        return new Reference(true, newest);
    }

    @Override
    public void settle(ConnectorSettings connector, long key, Runnable whenSettled) {
        settler.settle(connector, key, () -> {
            readSinceTakeover.put(key, Instant.now());
            whenSettled.run();
        });
    }

    /** MaintainX was read to hold {@code reading} (null: none) for these meters; kept durably. */
    public void learned(Map<Long, LastReading> readings, Instant at) throws SQLException {
        List<HeldReading> rows = new java.util.ArrayList<>(readings.size());
        readings.forEach((key, reading) -> rows.add(own.learned(key, reading, at)));
        outbox.learned(rows);
    }

    @Override
    public void beforeLeading(Takeover takeover) {
        readSinceTakeover.clear();
        switch (takeover.outcome()) {
            case NO_PEER -> {
                horizon = null;
                takeoverNote = "no peer: this node's own knowledge is complete";
            }
            case GRANTED -> {
                horizon = takeover.at();
                boolean current = pull.untilCurrent(PULL_AT_GRANT);
                takeoverNote = current ? "handed over; the peer's knowledge is current"
                        : "handed over, but the peer's knowledge could not be fetched: values from before the grant are read from MaintainX";
            }
            default -> {
                // The old leader is gone: it captured until it died, and both of these come after that. It answered
                // every poll while alive, so it died within a poll or two of its last word; and Ignition made this
                // gateway Active only after losing it, which this node saw at most when it first read Active (the switch
                // itself is somewhere within the poll before, so a bound one poll earlier is not one). The earlier wins.
                Instant lastContact = takeover.at().minus(takeover.peerSilentFor());
                Instant silent = lastContact.plus(pollInterval.multipliedBy(2));
                horizon = takeover.activeSince() != null && takeover.activeSince().isBefore(silent) ? takeover.activeSince() : silent;
                takeoverNote = "without the peer's answer: values from between " + peer.knownUpTo() + " and " + horizon + " are read from MaintainX";
            }
        }
        LOG.info("Taking over: {}", takeoverNote);
    }

    /** For status: how much each node knows, until when the peer's knowledge is complete, and the last takeover. */
    public Map<String, Object> status() {
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("metersKnownHere", own.size());
        s.put("metersKnownFromPeer", peer.size());
        Instant upTo = peer.knownUpTo();
        s.put("peerKnownUpTo", upTo == null ? null : upTo.toString());
        Instant h = horizon;
        s.put("oldLeaderHorizon", h == null ? null : h.toString());
        s.put("takeover", takeoverNote);
        return s;
    }

    /** Meters either node knows anything of: roughly the organisation's meters, to weigh reading by meter against pages. */
    public int metersKnown() {
        return Math.max(own.size(), peer.size());
    }

    /** The last moment the old leader may have captured a value, for this node's current leadership; null: nobody else sends. */
    public Instant horizon() {
        return horizon;
    }

    public String takeoverNote() {
        return takeoverNote;
    }

    /** An answer of the peer's node: its knowledge after what this node had. */
    public void fromPeer(OwnLedger.Delta delta, Instant upTo, boolean peerMayStillCapture) {
        peer.apply(delta, upTo == null ? null : peerMayStillCapture ? upTo.minus(NOTIFICATION_MARGIN) : upTo);
    }
}
