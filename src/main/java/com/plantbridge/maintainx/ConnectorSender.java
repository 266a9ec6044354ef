package com.plantbridge.maintainx;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.ConnectorQueue;
import com.plantbridge.outbox.InFlightBatch;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxReading;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.settings.ConnectorSettings;

/**
 * Sends one connector's readings from its outbox line to MaintainX, oldest first, on one thread
 * (from Camel's ExecutorServiceManager) that owns the retry policy. A batch is cut when it is full
 * or its oldest reading has waited the batch delay, and only after a request slot is free, so that
 * under a backlog each request carries as much as allowed. A reading leaves the outbox only when
 * MaintainX has it or refused it for good.
 *
 * <p>Stopping never waits on this sender and never holds a lock it needs: {@link #stop()} only
 * sets a flag and interrupts the thread if, and only if, it is in one of its waits (readings, a
 * request slot, a backoff, the auth retry, the previous sender). It is never interrupted inside a
 * request or an outbox write; a request in progress ends with its time-out. The next sender of
 * the connector claims the line once this one has let it go, so the order is kept.
 *
 * <p>Under load a delivered batch is written done in the same H2 transaction that marks the next
 * batch in flight (one commit per batch instead of two); with nothing due it is written at once.
 */
public final class ConnectorSender {

    /** MaintainX takes automated readings up to 3 days back; a margin keeps a late POST from crossing it. */
    static final Duration OLDEST_ACCEPTED = Duration.ofDays(3).minusMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorSender.class);

    /** What the sender needs to know of this node's leadership. */
    public interface Leadership {
        boolean isLeader();

        long term();
    }

    /** What the sender is doing now, for status and the watchdog. */
    public enum Activity {
        STARTING, WAITING_FOR_PREVIOUS_SENDER, SETTLING, WAITING_FOR_READINGS, WAITING_FOR_REQUEST_SLOT, POSTING,
        WAITING_AFTER_AUTH_ERROR, BACKING_OFF, STOPPED
    }

    /** A sender that has made no progress while readings wait. */
    public record Stall(String connector, SenderState state, Activity activity, long readingsWaiting, Instant since) {
    }

    private final CamelContext context;
    private final ConnectorSettings connector;
    private final SenderSettings settings;
    private final TokenBudget budget;
    private final MaintainxClient client;
    private final Outbox outbox;
    private final ConnectorQueue queue;
    private final Settlement settlement;
    private final RefusedMeters refused;
    private final SenderEvents events;
    private final Object interruptLock = new Object();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private ExecutorService executor;
    private Future<?> task;
    // Guarded by interruptLock.
    private Thread worker;
    private boolean interruptible;
    private volatile boolean stopping;
    private volatile boolean draining;
    private volatile SenderState state = SenderState.OK;
    private volatile Activity activity = Activity.STARTING;
    private volatile String lastError;
    private volatile Instant lastDeliveryAt;
    private volatile long lastProgressMillis = System.currentTimeMillis();
    /** Set when a POST of the batch in flight got no clear answer: it may be at MaintainX. */
    private boolean mayHaveStored;
    /** Answered 201, not yet written done: written with the next batch's mark when one follows at once. */
    private InFlightBatch deliveredUnwritten;
    /** Whether the readings kept through a restart were compared with what the peer's node delivered meanwhile. */
    private boolean reconciled;
    /** The request slot (or seat in another connector's request) taken before the batch was cut, for its first POST. */
    private TokenBudget.Grant slot;

    ConnectorSender(CamelContext context, ConnectorSettings connector, SenderSettings settings, TokenBudget budget,
                    MaintainxClient client, Outbox outbox, Settlement settlement, SenderEvents events, RefusedMeters refused) {
        this.context = context;
        this.connector = connector;
        this.settings = settings;
        this.budget = budget;
        this.client = client;
        this.outbox = outbox;
        this.queue = outbox.queue(connector.name());
        this.settlement = settlement;
        this.refused = refused;
        this.events = events;
    }

    /** Starts the sending thread; returns at once. */
    synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = context.getExecutorServiceManager().newSingleThreadExecutor(this, "maintainx-sender-" + connector.name());
        task = executor.submit(this::run);
    }

    /** Sends what waits until nothing is left, then stops (node shutdown); returns at once. */
    void drain() {
        draining = true;
        queue.wake();
    }

    /** Stops sending; returns at once. Readings not delivered stay in the outbox for the next sender. */
    void stop() {
        synchronized (interruptLock) {
            stopping = true;
            if (worker != null && interruptible) {
                worker.interrupt();
            }
        }
        synchronized (this) {
            if (executor != null) {
                context.getExecutorServiceManager().shutdown(executor);
            }
        }
    }

    /** Waits up to {@code millis} for the thread to end; true if it did. */
    boolean awaitStopped(long millis) throws InterruptedException {
        Future<?> running;
        synchronized (this) {
            running = task;
        }
        if (running == null) {
            return true;
        }
        try {
            running.get(Math.max(0, millis), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (java.util.concurrent.CancellationException e) {
            return true;
        }
    }

    private void run() {
        synchronized (interruptLock) {
            worker = Thread.currentThread();
        }
        try {
            activity = Activity.WAITING_FOR_PREVIOUS_SENDER;
            interruptibly(() -> {
                queue.claim();
                return null;
            });
            try {
                sendUntilStopped();
            } finally {
                queue.unclaim();
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            synchronized (interruptLock) {
                worker = null;
                interruptible = false;
                Thread.interrupted();
            }
            activity = Activity.STOPPED;
        }
    }

    private void sendUntilStopped() throws InterruptedException {
        long backoffMs = 1_000;
        try {
            while (!stopping) {
                try {
                    settleUnsettled();
                    if (!reconciled) {
                        settlement.reconcile(connector, outbox);
                        reconciled = true;
                    }
                    sendBatches();
                    return;
                } catch (SQLException | RuntimeException e) {
                    LOG.error("Connector {}: the outbox failed; readings stay where they are; retrying in {} ms", connector.name(), backoffMs, e);
                    state = SenderState.RETRYING;
                    lastError = "outbox: " + e.getMessage();
                    pause(backoffMs, Activity.BACKING_OFF);
                    backoffMs = Math.min(backoffMs * 2, Math.max(1_000, settings.maxBackoff().toMillis()));
                }
            }
        } finally {
            try {
                writeDelivered();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Connector {}: a delivered batch could not be marked done ({}); it is settled at the next start", connector.name(), e.toString());
            }
        }
    }

    /** Cuts and delivers batches until stopped, or drained when draining. */
    private void sendBatches() throws InterruptedException, SQLException {
        while (!stopping) {
            if (deliveredUnwritten != null) {
                // The next batch goes out at once only if it is due and a request slot is free now.
                slot = queue.dueInMillis(settings.batchSize(), settings.batchDelay().toMillis(), draining) == 0 ? budget.tryAcquire(0, nextCut()) : null;
                if (slot == null) {
                    writeDelivered();
                    continue;
                }
            } else {
                activity = Activity.WAITING_FOR_READINGS;
                if (!interruptibly(() -> queue.awaitDue(settings.batchSize(), settings.batchDelay().toMillis(), () -> draining))) {
                    return;
                }
                activity = Activity.WAITING_FOR_REQUEST_SLOT;
                slot = interruptibly(() -> budget.acquire(nextCut()));
            }
            List<OutboxReading> cut = queue.take(slot instanceof SharedPost.Seat seat ? seat.room() : settings.batchSize());
            if (!cut.isEmpty()) {
                deliver(cut);
            } else if (slot instanceof SharedPost.Seat seat) {
                seat.leave();
            }
        }
    }

    /** The next cut may ride in another connector's request: it takes what waits, up to a batch. */
    private TokenBudget.Rider nextCut() {
        return new TokenBudget.Rider(connector.organizationId(), 1, () -> Math.min(settings.batchSize(), Math.max(1, queue.size())));
    }

    private void writeDelivered() throws SQLException {
        if (deliveredUnwritten != null) {
            outbox.delivered(deliveredUnwritten);
            deliveredUnwritten = null;
        }
    }

    /**
     * Batches marked in flight at the last stop may or may not be at MaintainX, which has no
     * idempotency key: {@link BatchSettlement} decides, before anything newer is sent, from what the
     * pair knows of the batch's meters and, when that shows none of its readings, from a read of a
     * few of them ({@link Settlement#evidenceFor}).
     */
    private void settleUnsettled() throws InterruptedException, SQLException {
        List<InFlightBatch> batches = outbox.unsettled(connector.name());
        long backoffMs = 1_000;
        while (!batches.isEmpty()) {
            activity = Activity.SETTLING;
            InFlightBatch batch = batches.get(0);
            List<MeterReading> readings = readingsOf(batch.readings());
            Map<Long, LastReading> evidence;
            try {
                evidence = interruptibly(() -> {
                    try {
                        return settlement.evidenceAsync(connector, readings).get();
                    } catch (ExecutionException e) {
                        throw new LookupFailed(e.getCause());
                    }
                });
            } catch (LookupFailed e) {
                state = SenderState.RETRYING;
                lastError = "settling in-flight readings: " + e.getMessage();
                pause(backoffMs, Activity.BACKING_OFF);
                backoffMs = Math.min(backoffMs * 2, Math.max(1_000, settings.maxBackoff().toMillis()));
                continue;
            }
            boolean atMaintainx = BatchSettlement.isAtMaintainx(readings, evidence);
            outbox.settled(batch, atMaintainx);
            if (atMaintainx) {
                delivered.addAndGet(batch.size());
                events.delivered(connector.name(), batch.size());
                LOG.info("Connector {}: a batch of {} readings in flight at the last stop is at MaintainX already; not sent again", connector.name(), batch.size());
            } else {
                LOG.info("Connector {}: a batch of {} readings in flight at the last stop is not at MaintainX (no meter's last reading is one of them); sending it again",
                        connector.name(), batch.size());
            }
            progress();
            batches = outbox.unsettled(connector.name());
        }
    }

    /** A part of a cut in line order; {@code end} is the seq of the cut's last reading it stands for. */
    private record Slice(List<OutboxReading> readings, long end) {
    }

    /**
     * Delivers a cut, retrying until MaintainX has it or has refused its readings for good. The
     * first attempt's request slot was taken by the caller; every further request takes its own.
     * Each POST's readings are marked in flight before it and leave the outbox after the 201.
     */
    private void deliver(List<OutboxReading> cut) throws InterruptedException, SQLException {
        Deque<Slice> work = new ArrayDeque<>();
        work.add(new Slice(cut, cut.get(cut.size() - 1).seq()));
        boolean haveSlot = true;
        List<OutboxReading> current = null;
        InFlightBatch marked = null;
        boolean done = false;
        try {
            while (!work.isEmpty()) {
                Slice slice = work.pollFirst();
                current = sendable(slice);
                if (current.isEmpty()) {
                    current = null;
                    continue;
                }
                if (deliveredUnwritten == null) {
                    marked = outbox.markInFlight(connector.name(), current, slice.end());
                } else {
                    marked = outbox.deliveredAndMark(deliveredUnwritten, current, slice.end());
                    deliveredUnwritten = null;
                }
                PostOutcome outcome = post(current, haveSlot);
                haveSlot = false;
                if (outcome.created()) {
                    deliveredUnwritten = marked;
                    marked = null;
                    delivered.addAndGet(current.size());
                    events.delivered(connector.name(), current.size());
                    lastDeliveryAt = Instant.now();
                    progress();
                } else {
                    outbox.release(marked);
                    marked = null;
                    refused(slice, current, outcome, work);
                }
                current = null;
            }
            done = true;
        } finally {
            if (slot instanceof SharedPost.Seat seat) {
                seat.leave();   // the cut went to quarantine: the seat it took carries nothing
                slot = null;
            }
            if (!done) {
                giveBack(marked, current, work);
            }
        }
    }

    /** Stopping in the middle of a cut: what was not delivered goes back to the line, unless its POST may be at MaintainX. */
    private void giveBack(InFlightBatch marked, List<OutboxReading> current, Deque<Slice> work) throws SQLException {
        List<OutboxReading> back = new ArrayList<>();
        if (marked != null && mayHaveStored) {
            outbox.leaveInFlight(marked);
            LOG.info("Connector {}: stopping while a batch of {} readings got no answer from MaintainX; it is settled before the connector sends again",
                    connector.name(), marked.size());
        } else {
            if (marked != null) {
                outbox.release(marked);
            }
            if (current != null) {
                back.addAll(current);
            }
        }
        for (Slice slice : work) {
            back.addAll(slice.readings());
        }
        queue.putBack(back);
    }

    /** The slice without readings MaintainX cannot take (too old, a refused meter); those go to quarantine. */
    private List<OutboxReading> sendable(Slice slice) throws SQLException {
        Instant limit = Instant.now().minus(OLDEST_ACCEPTED);
        List<Outbox.Refusal> out = new ArrayList<>();
        List<OutboxReading> ok = new ArrayList<>(slice.readings().size());
        int tooOld = 0;
        for (OutboxReading r : slice.readings()) {
            if (r.reading().isAssetStatus()) {
                ok.add(r);   // a status change may start in the past: no age limit, no meter
                continue;
            }
            Optional<RefusedMeters.RefusedMeter> meter = refused.find(r.reading().meterId());
            if (r.reading().readingDate().isBefore(limit)) {
                out.add(new Outbox.Refusal(r, "older than MaintainX accepts (3 days for automated meters)"));
                tooOld++;
            } else if (meter.isPresent()) {
                out.add(new Outbox.Refusal(r, "meter " + meter.get().meterId() + " refused by MaintainX since " + meter.get().since() + ": " + meter.get().reason()));
            } else {
                ok.add(r);
            }
        }
        if (!out.isEmpty()) {
            writeDelivered();
            outbox.quarantine(connector.name(), out, ok.isEmpty() ? slice.end() : 0);
            events.quarantined(connector.name(), out.size());
            progress();
            if (tooOld > 0) {
                LOG.warn("Connector {}: {} readings are older than MaintainX accepts (3 days); kept in quarantine", connector.name(), tooOld);
            }
            if (out.size() > tooOld) {
                LOG.debug("Connector {}: {} readings of refused meters kept in quarantine", connector.name(), out.size() - tooOld);
            }
        }
        return ok;
    }

    /**
     * MaintainX refused the batch for good. Readings or meters its answer names go to quarantine
     * (meters are remembered) and the rest is sent again; an answer that names nothing makes the
     * batch be halved until the culprits are alone.
     */
    private void refused(Slice slice, List<OutboxReading> batch, PostOutcome outcome, Deque<Slice> work) throws SQLException {
        writeDelivered();
        List<MeterReading> readings = readingsOf(batch);
        PostOutcome.Named named = client.named(outcome, readings);
        if (!named.isEmpty()) {
            Map<Long, String> tags = new java.util.LinkedHashMap<>();
            for (long meter : named.meters()) {
                readings.stream().filter(r -> r.meterId() == meter).findFirst().ifPresent(r -> tags.put(meter, r.tagPath()));
            }
            refused.remember(tags, outcome.describe());
            List<Outbox.Refusal> out = new ArrayList<>();
            List<OutboxReading> rest = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                OutboxReading r = batch.get(i);
                if (named.readings().contains(i) || named.meters().contains(r.reading().meterId())) {
                    out.add(new Outbox.Refusal(r, outcome.describe()));
                } else {
                    rest.add(r);
                }
            }
            outbox.quarantine(connector.name(), out, rest.isEmpty() ? slice.end() : 0);
            events.quarantined(connector.name(), out.size());
            logQuarantined(out, outcome);
            if (!rest.isEmpty()) {
                work.addFirst(new Slice(rest, slice.end()));
            }
        } else if (batch.size() == 1) {
            OutboxReading r = batch.get(0);
            if (outcome.meterNotFound() && !r.reading().isAssetStatus()) {
                refused.remember(r.reading().meterId(), r.reading().tagPath(), outcome.describe());
            }
            outbox.quarantine(connector.name(), List.of(new Outbox.Refusal(r, outcome.describe())), slice.end());
            events.quarantined(connector.name(), 1);
            logQuarantined(List.of(new Outbox.Refusal(r, outcome.describe())), outcome);
        } else {
            int half = batch.size() / 2;
            work.addFirst(new Slice(new ArrayList<>(batch.subList(half, batch.size())), slice.end()));
            work.addFirst(new Slice(new ArrayList<>(batch.subList(0, half)), batch.get(half - 1).seq()));
        }
        progress();
    }

    private void logQuarantined(List<Outbox.Refusal> out, PostOutcome outcome) {
        if (out.size() == 1 && out.get(0).reading().reading().isAssetStatus()) {
            MeterReading change = out.get(0).reading().reading();
            LOG.warn("Connector {}: MaintainX refused the status {} of asset {} (tag {}, {}): {}; kept in quarantine",
                    connector.name(), change.status(), change.assetId(), change.tagPath(), change.readingDateText(), outcome.describe());
        } else if (out.size() == 1) {
            MeterReading reading = out.get(0).reading().reading();
            LOG.warn("Connector {}: MaintainX refused the reading of {} (meter {}, value {}, {}): {}; kept in quarantine",
                    connector.name(), reading.tagPath(), reading.meterId(), reading.value(), reading.readingDateText(), outcome.describe());
        } else {
            LOG.warn("Connector {}: MaintainX refused {} readings (meters {}): {}; kept in quarantine", connector.name(), out.size(),
                    out.stream().map(r -> r.reading().reading().meterId()).collect(Collectors.toCollection(java.util.TreeSet::new)), outcome.describe());
        }
    }

    /**
     * POSTs until MaintainX answers 201 or refuses the batch for good; waits out 429, 401/403, 5xx and silence. A
     * request carries other connectors' due readings when they wait for a slot of the same token, and the batch
     * rides in theirs when a seat is free first ({@link SharedPost}); after a shared request is refused the batch
     * goes alone, so what a refusal names is this batch's (after a 429, 401 or 5xx it may share again: those are
     * about the token or the server, not about a reading).
     */
    private PostOutcome post(List<OutboxReading> batch, boolean slotTaken) throws InterruptedException {
        List<MeterReading> readings = readingsOf(batch);
        // An asset status change is cut alone (ConnectorQueue.take) and has a request of its own.
        boolean assetStatus = readings.get(0).isAssetStatus();
        boolean alone = assetStatus;
        boolean haveSlot = slotTaken;
        long backoffMs = 1_000;
        mayHaveStored = false;
        while (true) {
            if (!haveSlot) {
                activity = Activity.WAITING_FOR_REQUEST_SLOT;
                TokenBudget.Rider rider = alone ? null : new TokenBudget.Rider(connector.organizationId(), readings.size(), readings::size);
                slot = interruptibly(() -> budget.acquire(rider));
            }
            haveSlot = false;
            TokenBudget.Grant grant = slot;
            slot = null;
            if (grant instanceof SharedPost.Seat seat && (alone || stopping)) {
                seat.leave();
                if (!stopping) {
                    continue;
                }
            }
            if (stopping) {
                throw new InterruptedException("stopping");
            }
            activity = Activity.POSTING;
            boolean shared;
            PostOutcome outcome;
            if (grant instanceof SharedPost.Seat seat) {
                Optional<PostOutcome> answer = seat.ride(readings);
                if (answer.isEmpty()) {
                    continue;   // the request left without it: nothing of it was sent
                }
                outcome = answer.get();
                shared = true;
            } else {
                TokenBudget.Ticket ticket = (TokenBudget.Ticket) grant;
                requests.incrementAndGet();
                long postStart = System.nanoTime();
                SharedPost others = alone ? null : budget.offerRoom(connector.organizationId(), settings.batchSize() - readings.size());
                shared = others != null;
                outcome = assetStatus ? client.postAssetStatus(connector, readings.get(0), budget.taken(ticket))
                        : shared ? postWith(others, readings, ticket) : client.postReadings(connector, readings, budget.taken(ticket));
                events.answered(connector.name(), outcome.status(), Duration.ofNanos(System.nanoTime() - postStart));
                if (outcome.tooManyRequests()) {
                    tooManyRequests.incrementAndGet();   // the client told the budget to wait for the reset
                }
            }
            mayHaveStored |= outcome.mayHaveStored();
            if (outcome.created()) {
                if (state != SenderState.OK) {
                    LOG.info("Connector {}: MaintainX accepts readings again", connector.name());
                }
                state = SenderState.OK;
                return outcome;
            }
            if (outcome.tooManyRequests()) {
                continue;
            }
            if (outcome.unauthorized()) {
                if (state != SenderState.AUTH_ERROR) {
                    LOG.error("Connector {}: MaintainX refused the token ({}); keeping the readings and retrying every {} ms",
                            connector.name(), outcome.describe(), settings.authRetry().toMillis());
                }
                state = SenderState.AUTH_ERROR;
                lastError = outcome.describe();
                pause(settings.authRetry().toMillis(), Activity.WAITING_AFTER_AUTH_ERROR);
                continue;
            }
            if (outcome.refused()) {
                if (shared) {
                    alone = true;   // the refusal may name another part's reading: this batch is sent again alone
                    continue;
                }
                return outcome;
            }
            if (state != SenderState.RETRYING) {
                LOG.warn("Connector {}: MaintainX {}; retrying with backoff up to {} s", connector.name(), outcome.describe(), settings.maxBackoff().toSeconds());
            }
            state = SenderState.RETRYING;
            lastError = outcome.describe();
            pause(backoffMs, Activity.BACKING_OFF);
            backoffMs = Math.min(backoffMs * 2, Math.max(1_000, settings.maxBackoff().toMillis()));
        }
    }

    /** One request with this batch first and the parts the seated connectors handed in; every part gets its answer. */
    private PostOutcome postWith(SharedPost others, List<MeterReading> readings, TokenBudget.Ticket ticket) throws InterruptedException {
        PostOutcome outcome = null;
        try {
            List<MeterReading> all = new ArrayList<>(readings);
            all.addAll(others.depart());
            outcome = client.postReadings(connector, all, budget.taken(ticket));
            return outcome;
        } finally {
            others.answer(outcome != null ? outcome : new PostOutcome(0, null, null, null, "the request failed in this node"));
        }
    }

    private void pause(long millis, Activity during) throws InterruptedException {
        activity = during;
        interruptibly(() -> {
            Thread.sleep(millis);
            return null;
        });
    }

    private interface Wait<T> {
        T call() throws InterruptedException;
    }

    /** Runs a wait during which {@link #stop()} may interrupt this thread, and only then. */
    private <T> T interruptibly(Wait<T> wait) throws InterruptedException {
        synchronized (interruptLock) {
            if (stopping) {
                throw new InterruptedException("stopping");
            }
            interruptible = true;
        }
        try {
            return wait.call();
        } finally {
            synchronized (interruptLock) {
                interruptible = false;
                Thread.interrupted();   // an interrupt that came as the wait ended must not reach H2 or HTTP
            }
        }
    }

    /** MaintainX could not be read. */
    private static final class LookupFailed extends RuntimeException {
        LookupFailed(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private void progress() {
        lastProgressMillis = System.currentTimeMillis();
    }

    private static List<MeterReading> readingsOf(List<OutboxReading> batch) {
        List<MeterReading> readings = new ArrayList<>(batch.size());
        for (OutboxReading r : batch) {
            readings.add(r.reading());
        }
        return readings;
    }

    /** True when the sending thread ended although nobody stopped it (an Error escaped): only a restart brings it back. */
    public boolean threadDied() {
        Future<?> running;
        synchronized (this) {
            running = task;
        }
        return running != null && running.isDone() && !stopping && !draining;
    }

    /** The sender's stall if readings wait and nothing was delivered, quarantined or settled for longer than {@code threshold}. */
    public Optional<Stall> stall(Duration threshold, Instant now) {
        long busySince = queue.busySinceMillis();
        if (busySince < 0) {
            return Optional.empty();
        }
        long since = Math.max(busySince, lastProgressMillis);
        if (now.toEpochMilli() - since <= threshold.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(new Stall(connector.name(), state, activity, queue.size() + queue.taken(), Instant.ofEpochMilli(since)));
    }

    public String connectorName() {
        return connector.name();
    }

    public SenderState state() {
        return state;
    }

    public Activity activity() {
        return activity;
    }

    public String lastError() {
        return lastError;
    }

    public long delivered() {
        return delivered.get();
    }

    public long requests() {
        return requests.get();
    }

    public long tooManyRequests() {
        return tooManyRequests.get();
    }

    public Instant lastDeliveryAt() {
        return lastDeliveryAt;
    }

    public List<RefusedMeters.RefusedMeter> refusedMeters() {
        return refused.all();
    }

    /** Why the refused meters' file could not be read or written, or null. */
    public String refusedMetersFileProblem() {
        return refused.fileProblem();
    }
}
