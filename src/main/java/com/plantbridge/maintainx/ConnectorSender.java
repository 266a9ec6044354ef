package com.plantbridge.maintainx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.ConnectorSettings;

/**
 * Sends one connector's readings to MaintainX, oldest first, on one thread that owns the retry
 * policy. A batch is cut when it is full or its oldest reading has waited the batch delay, and only
 * after a request slot is free, so that under a backlog each request carries as much as allowed.
 * Nothing accepted is dropped: refused readings are quarantined with the reason.
 */
public final class ConnectorSender {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorSender.class);

    private final ConnectorSettings connector;
    private final SenderSettings settings;
    private final RateLimiter limiter;
    private final MaintainxClient client;
    private final BooleanSupplier leader;
    private final LinkedBlockingDeque<Queued> queue = new LinkedBlockingDeque<>();
    private final List<QuarantinedReading> quarantine = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private final AtomicLong discardedOnStandby = new AtomicLong();
    private volatile boolean discarding;
    private volatile SenderState state = SenderState.OK;
    private volatile String lastError;
    private volatile Instant lastDeliveryAt;
    private volatile boolean running;
    private volatile boolean draining;
    private Thread thread;

    public ConnectorSender(ConnectorSettings connector, SenderSettings settings, RateLimiter limiter, MaintainxClient client,
                           BooleanSupplier leader) {
        this.connector = connector;
        this.leader = leader;
        this.settings = settings;
        this.limiter = limiter;
        this.client = client;
    }

    /**
     * Takes a reading for sending. On a node that does not lead, a tag consumer that is still
     * running (camel-master's flap defect, a leftover monitored item) must not make it a second
     * sender: such readings are the leader's to send and are counted, not queued.
     */
    public void accept(MeterReading reading) {
        if (!leader.getAsBoolean()) {
            discardedOnStandby.incrementAndGet();
            if (!discarding) {
                discarding = true;
                LOG.warn("Connector {}: readings arrive while this node is not the leader; they are not sent (counted as discardedOnStandby)", connector.name());
            }
            return;
        }
        discarding = false;
        queue.addLast(new Queued(reading, System.nanoTime()));
        accepted.incrementAndGet();
        if (queue.size() >= settings.batchSize()) {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        draining = false;
        thread = new Thread(this::run, "maintainx-" + connector.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends what is queued for up to {@code drainMillis}, then stops; what is left stays counted as pending. */
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
        if (!queue.isEmpty()) {
            LOG.warn("Connector {}: stopped with {} readings not delivered", connector.name(), queue.size());
        }
    }

    private void run() {
        try {
            while (running && !(draining && queue.isEmpty())) {
                awaitBatch();
                awaitLeadership();
                if (queue.isEmpty()) {
                    continue;
                }
                limiter.acquire();
                List<MeterReading> batch = new ArrayList<>(Math.min(queue.size(), settings.batchSize()));
                while (batch.size() < settings.batchSize()) {
                    Queued next = queue.pollFirst();
                    if (next == null) {
                        break;
                    }
                    batch.add(next.reading());
                }
                try {
                    send(batch, true);
                } catch (InterruptedException e) {
                    requeue(batch);
                    throw e;
                } catch (Fenced e) {
                    // Leadership went during the batch: what was not delivered stays first in line until this node leads again.
                    requeue(e.undelivered);
                    awaitLeadership();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Connector {}: sender stopped by an unexpected error", connector.name(), e);
            state = SenderState.RETRYING;
            lastError = e.toString();
        }
    }

    private void requeue(List<MeterReading> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            queue.addFirst(new Queued(batch.get(i), System.nanoTime()));
        }
    }

    private void awaitLeadership() throws InterruptedException {
        while (running && !leader.getAsBoolean()) {
            Thread.sleep(100);
        }
    }

    /** Waits until a batch is full or its oldest reading has waited long enough. */
    private void awaitBatch() throws InterruptedException {
        synchronized (signal) {
            while (running) {
                Queued oldest = queue.peekFirst();
                if (draining && oldest != null || queue.size() >= settings.batchSize()) {
                    return;
                }
                if (draining) {
                    return;
                }
                long waitNanos = oldest == null
                        ? TimeUnit.MILLISECONDS.toNanos(200)
                        : oldest.enqueuedNanos() + settings.batchDelay().toNanos() - System.nanoTime();
                if (oldest != null && waitNanos <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, Math.max(waitNanos, 1_000_000));
            }
        }
    }

    /**
     * Delivers a batch, retrying until MaintainX has it or has refused its readings for good. The
     * first attempt's request slot was taken by the caller; every further attempt takes its own.
     */
    private void send(List<MeterReading> batch, boolean slotTaken) throws InterruptedException {
        long backoffMs = 1_000;
        boolean haveSlot = slotTaken;
        while (true) {
            if (!haveSlot) {
                limiter.acquire();
            }
            haveSlot = false;
            if (!leader.getAsBoolean()) {
                throw new Fenced(batch);
            }
            requests.incrementAndGet();
            PostOutcome outcome = client.postReadings(connector, batch);
            limiter.onAnswer(outcome.rateRemaining(), outcome.rateResetSeconds());
            if (outcome.created()) {
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
                    LOG.error("Connector {}: MaintainX refused the token ({}); keeping {} readings and retrying every {} s",
                            connector.name(), outcome.describe(), batch.size() + queue.size(), settings.authRetry().toSeconds());
                }
                state = SenderState.AUTH_ERROR;
                lastError = outcome.describe();
                sleep(settings.authRetry().toMillis());
                continue;
            }
            if (outcome.refused()) {
                isolateRefused(batch, outcome);
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
    }

    /** Halves a refused batch until the readings MaintainX will not take are alone, and delivers the rest. */
    private void isolateRefused(List<MeterReading> batch, PostOutcome outcome) throws InterruptedException {
        if (batch.size() == 1) {
            MeterReading reading = batch.get(0);
            quarantine.add(new QuarantinedReading(reading, outcome.describe(), Instant.now()));
            LOG.warn("Connector {}: MaintainX refused the reading of {} (meter {}, value {}, {}): {}; kept in quarantine",
                    connector.name(), reading.tagPath(), reading.meterId(), reading.value(), reading.readingDateText(), outcome.describe());
            return;
        }
        int half = batch.size() / 2;
        List<MeterReading> right = new ArrayList<>(batch.subList(half, batch.size()));
        try {
            send(new ArrayList<>(batch.subList(0, half)), false);
        } catch (Fenced e) {
            List<MeterReading> undelivered = new ArrayList<>(e.undelivered);
            undelivered.addAll(right);
            throw new Fenced(undelivered);
        }
        send(right, false);
    }

    private void sleep(long millis) throws InterruptedException {
        if (!running) {
            throw new InterruptedException("stopping");
        }
        Thread.sleep(millis);
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

    public int pending() {
        return queue.size();
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

    public Instant lastDeliveryAt() {
        return lastDeliveryAt;
    }

    public long discardedOnStandby() {
        return discardedOnStandby.get();
    }

    public List<QuarantinedReading> quarantine() {
        return List.copyOf(quarantine);
    }

    private record Queued(MeterReading reading, long enqueuedNanos) {
    }

    /** This node lost leadership between cutting a batch and posting it. */
    private static final class Fenced extends RuntimeException {
        final transient List<MeterReading> undelivered;

        Fenced(List<MeterReading> undelivered) {
            super(null, null, false, false);
            this.undelivered = undelivered;
        }
    }
}
