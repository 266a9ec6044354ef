package com.plantbridge.maintainx;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxCounts;
import com.plantbridge.outbox.OutboxReading;
import com.plantbridge.settings.ConnectorSettings;

/**
 * Sends one connector's readings from the outbox to MaintainX, oldest first, on one thread that
 * owns the retry policy. A batch is cut when it is full or its oldest reading has waited the batch
 * delay, and only after a request slot is free, so that under a backlog each request carries as
 * much as allowed. A reading leaves the outbox only when MaintainX has it or refused it for good.
 */
public final class ConnectorSender {

    /** MaintainX takes automated readings up to 3 days back; a margin keeps a late POST from crossing it. */
    static final Duration OLDEST_ACCEPTED = Duration.ofDays(3).minusMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorSender.class);

    private final ConnectorSettings connector;
    private final SenderSettings settings;
    private final RateLimiter limiter;
    private final MaintainxClient client;
    private final Outbox outbox;
    private final Leadership leadership;
    private final Object signal = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private final AtomicLong discardedOnStandby = new AtomicLong();
    private long pending;
    private long oldestPendingNanos;
    private volatile boolean discarding;
    private volatile SenderState state = SenderState.OK;
    private volatile String lastError;
    private volatile Instant lastDeliveryAt;
    private volatile boolean running;
    private volatile boolean draining;
    private Thread thread;

    /** What the sender needs to know of this node's leadership. */
    public interface Leadership {
        boolean isLeader();

        long term();
    }

    public ConnectorSender(ConnectorSettings connector, SenderSettings settings, RateLimiter limiter, MaintainxClient client,
                           Outbox outbox, Leadership leadership) {
        this.connector = connector;
        this.settings = settings;
        this.limiter = limiter;
        this.client = client;
        this.outbox = outbox;
        this.leadership = leadership;
    }

    /**
     * Stores a reading for sending; when this returns, it survives a crash. On a node that does not
     * lead, a tag consumer still running (camel-master's flap defect, a leftover monitored item)
     * must not make it a second sender: such readings are the leader's and are counted, not stored.
     */
    public void accept(List<MeterReading> readings) throws SQLException {
        if (!leadership.isLeader()) {
            discardedOnStandby.addAndGet(readings.size());
            if (!discarding) {
                discarding = true;
                LOG.warn("Connector {}: readings arrive while this node is not the leader; they are not sent (counted as discardedOnStandby)", connector.name());
            }
            return;
        }
        discarding = false;
        outbox.append(readings, leadership.term());
        accepted.addAndGet(readings.size());
        synchronized (signal) {
            if (pending == 0) {
                oldestPendingNanos = System.nanoTime();
            }
            pending += readings.size();
            if (pending >= settings.batchSize()) {
                signal.notifyAll();
            }
        }
    }

    public synchronized void start() throws SQLException {
        if (running) {
            return;
        }
        OutboxCounts counts = outbox.counts(connector.name());
        synchronized (signal) {
            pending = counts.pending();
            // Readings left from before a restart are overdue already.
            oldestPendingNanos = System.nanoTime() - settings.batchDelay().toNanos();
        }
        running = true;
        draining = false;
        thread = new Thread(this::run, "maintainx-" + connector.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends what is pending for up to {@code drainMillis}, then stops; the rest stays in the outbox. */
    public synchronized void stop(long drainMillis) throws InterruptedException {
        if (!running) {
            return;
        }
        draining = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        thread.join(drainMillis);
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }

    private void run() {
        try {
            settleInFlight();
            while (running) {
                if (!awaitBatch()) {
                    return;
                }
                limiter.acquire();
                List<OutboxReading> cut = outbox.pending(connector.name(), settings.batchSize());
                synchronized (signal) {
                    // The outbox is the truth: a short cut means nothing else is pending.
                    pending = cut.size() < settings.batchSize() ? 0 : Math.max(0, pending - cut.size());
                    if (pending > 0) {
                        oldestPendingNanos = Math.min(oldestPendingNanos, System.nanoTime() - settings.batchDelay().toNanos());
                    }
                }
                List<OutboxReading> batch = withoutTooOld(cut);
                if (!batch.isEmpty()) {
                    send(batch, true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            LOG.error("Connector {}: sender stopped by an unexpected error; readings stay in the outbox", connector.name(), e);
            state = SenderState.RETRYING;
            lastError = e.toString();
        }
    }

    /**
     * A batch marked in flight when the process stopped may or may not be at MaintainX, which has
     * no idempotency key. Its meters' last readings tell: if MaintainX holds a reading of the batch
     * (or a later one) for any of its meters, the whole request was stored.
     */
    private void settleInFlight() throws SQLException, InterruptedException {
        Map<Long, List<OutboxReading>> batches = outbox.inFlight(connector.name());
        long backoffMs = 1_000;
        while (!batches.isEmpty() && running) {
            Set<Long> meters = batches.values().stream().flatMap(List::stream).map(r -> r.reading().meterId()).collect(Collectors.toSet());
            try {
                requests.incrementAndGet();
                Map<Long, MaintainxClient.LastReading> last = client.lastReadings(connector, meters, limiter);
                for (Map.Entry<Long, List<OutboxReading>> entry : batches.entrySet()) {
                    List<OutboxReading> batch = entry.getValue();
                    if (batch.stream().anyMatch(r -> heldAt(last, r))) {
                        outbox.delivered(entry.getKey());
                        delivered.addAndGet(batch.size());
                        LOG.info("Connector {}: a batch of {} readings in flight at the last stop is at MaintainX already; not sent again", connector.name(), batch.size());
                    } else {
                        outbox.backToPending(entry.getKey());
                        synchronized (signal) {
                            pending += batch.size();
                        }
                        LOG.info("Connector {}: a batch of {} readings in flight at the last stop is not at MaintainX; sending it again", connector.name(), batch.size());
                    }
                }
                return;
            } catch (java.io.IOException e) {
                state = SenderState.RETRYING;
                lastError = "settling in-flight readings: " + e.getMessage();
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
            }
        }
    }

    private static boolean heldAt(Map<Long, MaintainxClient.LastReading> last, OutboxReading r) {
        MaintainxClient.LastReading held = last.get(r.reading().meterId());
        if (held == null) {
            return false;
        }
        int order = held.readingDate().compareTo(r.reading().readingDate().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        return order > 0 || order == 0 && held.value() == r.reading().value().doubleValue();
    }

    private List<OutboxReading> withoutTooOld(List<OutboxReading> batch) throws SQLException {
        Instant limit = Instant.now().minus(OLDEST_ACCEPTED);
        List<OutboxReading> tooOld = batch.stream().filter(r -> r.reading().readingDate().isBefore(limit)).toList();
        if (tooOld.isEmpty()) {
            return batch;
        }
        outbox.quarantine(tooOld, "older than MaintainX accepts (3 days for automated meters)");
        LOG.warn("Connector {}: {} readings are older than MaintainX accepts (3 days); kept in quarantine", connector.name(), tooOld.size());
        List<OutboxReading> rest = new ArrayList<>(batch);
        rest.removeAll(tooOld);
        return rest;
    }

    /** Waits until a batch is full or its oldest reading has waited long enough; false when stopping with nothing left. */
    private boolean awaitBatch() throws InterruptedException {
        synchronized (signal) {
            while (running) {
                if (pending >= settings.batchSize() || pending > 0 && draining) {
                    return true;
                }
                if (draining) {
                    return false;
                }
                long waitNanos = pending == 0
                        ? TimeUnit.MILLISECONDS.toNanos(200)
                        : oldestPendingNanos + settings.batchDelay().toNanos() - System.nanoTime();
                if (pending > 0 && waitNanos <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, Math.max(waitNanos, 1_000_000));
            }
            return false;
        }
    }

    /**
     * Delivers a batch, retrying until MaintainX has it or has refused its readings for good. The
     * first attempt's request slot was taken by the caller; every further attempt takes its own.
     * The rows are marked in flight before the POST and leave the outbox only after the 201.
     */
    private void send(List<OutboxReading> cut, boolean slotTaken) throws InterruptedException, SQLException {
        long backoffMs = 1_000;
        boolean haveSlot = slotTaken;
        long batchId = outbox.newBatchId();
        List<OutboxReading> batch = outbox.markInFlight(cut, batchId);
        if (batch.isEmpty()) {
            return;
        }
        List<MeterReading> readings = batch.stream().map(OutboxReading::reading).toList();
        try {
            while (true) {
                if (!haveSlot) {
                    limiter.acquire();
                }
                haveSlot = false;
                requests.incrementAndGet();
                PostOutcome outcome = client.postReadings(connector, readings);
                limiter.onAnswer(outcome.rateRemaining(), outcome.rateResetSeconds());
                if (outcome.created()) {
                    outbox.delivered(batchId);
                    delivered.addAndGet(batch.size());
                    lastDeliveryAt = Instant.now();
                    if (state != SenderState.OK) {
                        LOG.info("Connector {}: MaintainX accepts readings again", connector.name());
                    }
                    state = SenderState.OK;
                    return;
                }
                if (outcome.tooManyRequests()) {
                    tooManyRequests.incrementAndGet();
                    limiter.onTooManyRequests(outcome.rateResetSeconds());
                    continue;
                }
                if (outcome.unauthorized()) {
                    if (state != SenderState.AUTH_ERROR) {
                        LOG.error("Connector {}: MaintainX refused the token ({}); keeping the readings and retrying every {} s",
                                connector.name(), outcome.describe(), settings.authRetry().toSeconds());
                    }
                    state = SenderState.AUTH_ERROR;
                    lastError = outcome.describe();
                    sleep(settings.authRetry().toMillis());
                    continue;
                }
                if (outcome.refused()) {
                    isolateRefused(batch, batchId, outcome);
                    return;
                }
                if (state != SenderState.RETRYING) {
                    LOG.warn("Connector {}: MaintainX {}; retrying with backoff up to {} s", connector.name(), outcome.describe(), settings.maxBackoff().toSeconds());
                }
                state = SenderState.RETRYING;
                lastError = outcome.describe();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
            }
        } catch (InterruptedException e) {
            // Stopping: the batch was not posted again, so it is pending, not unknown.
            outbox.backToPending(batchId);
            throw e;
        }
    }

    /** Halves a refused batch until the readings MaintainX will not take are alone, and delivers the rest. */
    private void isolateRefused(List<OutboxReading> batch, long batchId, PostOutcome outcome) throws InterruptedException, SQLException {
        if (batch.size() == 1) {
            MeterReading reading = batch.get(0).reading();
            outbox.quarantine(batch, outcome.describe());
            LOG.warn("Connector {}: MaintainX refused the reading of {} (meter {}, value {}, {}): {}; kept in quarantine",
                    connector.name(), reading.tagPath(), reading.meterId(), reading.value(), reading.readingDateText(), outcome.describe());
            return;
        }
        outbox.backToPending(batchId);
        int half = batch.size() / 2;
        send(new ArrayList<>(batch.subList(0, half)), false);
        send(new ArrayList<>(batch.subList(half, batch.size())), false);
    }

    private void sleep(long millis) throws InterruptedException {
        if (!running) {
            throw new InterruptedException("stopping");
        }
        Thread.sleep(millis);
    }

    /** Puts this connector's quarantined readings back in line (after the cause was fixed); returns how many. */
    public int replayQuarantine() throws SQLException {
        int count = outbox.replayQuarantine(connector.name());
        synchronized (signal) {
            if (pending == 0 && count > 0) {
                oldestPendingNanos = System.nanoTime() - settings.batchDelay().toNanos();
            }
            pending += count;
            signal.notifyAll();
        }
        LOG.info("Connector {}: {} quarantined readings put back in line", connector.name(), count);
        return count;
    }

    public String connectorName() {
        return connector.name();
    }

    public SenderState state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }

    public long accepted() {
        return accepted.get();
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

    public long discardedOnStandby() {
        return discardedOnStandby.get();
    }

    public Instant lastDeliveryAt() {
        return lastDeliveryAt;
    }

    public OutboxCounts counts() throws SQLException {
        return outbox.counts(connector.name());
    }
}
