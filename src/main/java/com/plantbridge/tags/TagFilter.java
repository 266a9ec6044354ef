package com.plantbridge.tags;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.MaintainxClient.LastReading;
import com.plantbridge.maintainx.MeterReading;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.TagSettings;

/**
 * Turns a connector's raw tag values into meter readings: good quality only, numbers only,
 * change-only with an absolute deadband, and at most one reading per minimum interval, where the
 * latest value of the window is sent when the window closes so the last change is never lost.
 */
public final class TagFilter implements TagValueListener {

    private static final Logger LOG = LoggerFactory.getLogger(TagFilter.class);

    private final ConnectorSettings connector;
    private final ScheduledExecutorService timer;
    private volatile ReadingSink sink;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> alreadyHandledBefore;
    private volatile CompletableFuture<Map<Long, LastReading>> held = CompletableFuture.completedFuture(null);
    private final long minIntervalNanos;
    private final Map<String, TagState> states = new ConcurrentHashMap<>();
    private final AtomicLong valuesReceived = new AtomicLong();
    private final AtomicLong readingsEmitted = new AtomicLong();

    public TagFilter(ConnectorSettings connector, ScheduledExecutorService timer, ReadingSink sink,
                     Supplier<Instant> alreadyHandledBefore) {
        this(connector, timer, sink, alreadyHandledBefore, System::nanoTime);
    }

    TagFilter(ConnectorSettings connector, ScheduledExecutorService timer, ReadingSink sink,
              Supplier<Instant> alreadyHandledBefore, LongSupplier nanoClock) {
        this.connector = connector;
        this.alreadyHandledBefore = alreadyHandledBefore;
        this.timer = timer;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.minIntervalNanos = connector.minInterval().toNanos();
    }

    /**
     * What MaintainX holds for this connector's meters, being fetched as the subscription starts;
     * a tag's current value waits for it (changes do not).
     */
    public void expectHeld(CompletableFuture<Map<Long, LastReading>> future) {
        held = future;
        future.whenCompleteAsync((map, error) -> states.values().forEach(this::releaseParked), timer);
    }

    /**
     * A tag's current value when its subscription starts may have been sent long ago, by this node
     * or by the other one, or be on its way from the other node's outbox. It is compared with what
     * MaintainX holds and what the peer captured before handing over (the later of the two per
     * meter), whatever this node sent itself in an earlier leadership: it is sent only if it is a
     * change against that reference and not older than it.
     */
    @Override
    public void onInitialValue(TagSettings tag, DataValue value) {
        TagState state = states.computeIfAbsent(tag.path(), p -> new TagState(tag));
        synchronized (state) {
            if (isNumber(value)) {
                if (!held.isDone()) {
                    state.parkedInitial = value;
                    return;
                }
                if (alreadyHeld(state, value)) {
                    valuesReceived.incrementAndGet();
                    return;
                }
            }
        }
        onValue(tag, value);
    }

    private void releaseParked(TagState state) {
        DataValue parked;
        synchronized (state) {
            parked = state.parkedInitial;
            state.parkedInitial = null;
        }
        if (parked != null) {
            onInitialValue(state.tag, parked);
        }
    }

    /**
     * True when the reference already has the value (it then stays the reference for
     * change-only). When MaintainX's or the peer's reading of the meter is known it becomes the
     * reference either way; otherwise this node's own last sent value stays, and without one only a
     * value from after this gateway became Active counts as new.
     */
    private boolean alreadyHeld(TagState state, DataValue value) {
        Number number = MeterValues.toNumber(value.getValue().getValue());
        Instant date = readingDate(value);
        Map<Long, LastReading> known = held.isCompletedExceptionally() ? null : held.getNow(null);
        LastReading last = known == null ? null : known.get(state.tag.meterId());
        if (last != null) {
            boolean skip = !date.isAfter(last.readingDate()) || number == null || !changed(state, last.value(), number);
            state.lastSent = skip && number != null ? number : last.value();
            state.lastSentAt = nanoClock.getAsLong() - minIntervalNanos;
            state.lastEmitted = null;
            return skip;
        }
        if (state.lastSent != null || known != null) {
            return false;   // compared with this node's own last sent value, or new to MaintainX
        }
        Instant cutoff = alreadyHandledBefore.get();   // MaintainX not asked or not reachable
        boolean skip = cutoff != null && date.isBefore(cutoff);
        if (skip && number != null) {
            state.lastSent = number;
            state.lastSentAt = nanoClock.getAsLong() - minIntervalNanos;
        }
        return skip;
    }

    private static boolean isNumber(DataValue value) {
        return value.getStatusCode().isGood() && MeterValues.kind(value.getValue().getValue()) == MeterValues.Kind.NUMBER;
    }

    @Override
    public void onValue(TagSettings tag, DataValue value) {
        valuesReceived.incrementAndGet();
        TagState state = states.computeIfAbsent(tag.path(), p -> new TagState(tag));
        synchronized (state) {
            state.parkedInitial = null;   // a newer value supersedes a current value still waiting
            if (!value.getStatusCode().isGood()) {
                state.badQuality++;
                return;
            }
            Object raw = value.getValue().getValue();
            switch (MeterValues.kind(raw)) {
                case REFUSED -> {
                    if (!state.ignored) {
                        LOG.error("Connector {}: tag {} is an array or UDT ({}); only simple tags can be meter readings. Remove it from the settings.",
                                connector.name(), tag.path(), raw.getClass().getSimpleName());
                        state.ignored = true;
                    }
                    return;
                }
                case NOT_A_METER_VALUE -> {
                    if (!state.ignored) {
                        LOG.warn("Connector {}: tag {} holds a {} value, not a number; it is skipped",
                                connector.name(), tag.path(), raw == null ? "null" : raw.getClass().getSimpleName());
                        state.ignored = true;
                    }
                    return;
                }
                case NUMBER -> state.ignored = false;
            }
            Number number = MeterValues.toNumber(raw);
            if (number == null) {
                state.badQuality++;
                return;
            }
            MeterReading reading = new MeterReading(connector.name(), tag.path(), tag.meterId(), number, readingDate(value));
            offer(state, reading);
        }
    }

    private void offer(TagState state, MeterReading reading) {
        if (state.lastSent != null && !changed(state, state.lastSent, reading.value())) {
            cancelPending(state); // back inside the deadband of what MaintainX already has
            return;
        }
        long now = nanoClock.getAsLong();
        if (minIntervalNanos > 0 && state.lastSent != null && now - state.lastSentAt < minIntervalNanos) {
            state.pending = reading;
            if (state.flush == null) {
                long delay = state.lastSentAt + minIntervalNanos - now;
                state.flush = timer.schedule(() -> flush(state), delay, TimeUnit.NANOSECONDS);
            }
            return;
        }
        emit(state, reading, now);
    }

    /** A minimum-interval window closes: its latest value goes on, outside the tag's lock (the route runs now). */
    private void flush(TagState state) {
        MeterReading pending;
        synchronized (state) {
            state.flush = null;
            pending = state.pending;
            state.pending = null;
            if (pending != null) {
                mark(state, pending, nanoClock.getAsLong());
            }
        }
        if (pending != null) {
            sink.reading(pending);
        }
    }

    /** Inside a notification the sink only collects; the route runs at the notification's end. */
    private void emit(TagState state, MeterReading reading, long now) {
        mark(state, reading, now);
        sink.reading(reading);
    }

    private void mark(TagState state, MeterReading reading, long now) {
        state.previousSent = state.lastSent;
        state.previousSentAt = state.lastSentAt;
        state.lastEmitted = reading;
        state.lastSent = reading.value();
        state.lastSentAt = now;
        readingsEmitted.incrementAndGet();
    }

    /**
     * The route did not take this reading to the outbox (a user's filter, a failure given up on):
     * change-only must go on comparing with what was sent before it, or a later value inside the
     * deadband of this one would never be sent.
     */
    public void rollback(MeterReading reading) {
        TagState state = states.get(reading.tagPath());
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (state.lastEmitted == reading) {
                state.lastSent = state.previousSent;
                state.lastSentAt = state.previousSentAt;
                state.lastEmitted = null;
            }
        }
    }

    private boolean changed(TagState state, Number reference, Number value) {
        if (value == null) {
            return false;
        }
        double difference = Math.abs(value.doubleValue() - reference.doubleValue());
        double deadband = state.tag.deadbandOr(connector.deadband());
        return deadband > 0 ? difference > deadband : difference != 0;
    }

    private static void cancelPending(TagState state) {
        state.pending = null;
        if (state.flush != null) {
            state.flush.cancel(false);
            state.flush = null;
        }
    }

    /** Source timestamp first: it is when the value was true at the machine. */
    private static Instant readingDate(DataValue value) {
        DateTime source = value.getSourceTime();
        if (source != null && source.isValid() && source.getJavaTime() > 0) {
            return source.getJavaInstant();
        }
        DateTime server = value.getServerTime();
        if (server != null && server.isValid() && server.getJavaTime() > 0) {
            return server.getJavaInstant();
        }
        return Instant.now();
    }

    /** The consumer that now receives the readings; the per-tag state stays (see IgnitionTagsComponent). */
    public void attach(ReadingSink newSink) {
        this.sink = newSink;
    }

    @Override
    public void onBatchStart() {
        sink.notificationStart();
    }

    @Override
    public void onBatchEnd() {
        sink.notificationEnd();
    }

    public ConnectorSettings connector() {
        return connector;
    }

    public long valuesReceived() {
        return valuesReceived.get();
    }

    public long readingsEmitted() {
        return readingsEmitted.get();
    }

    /** Bad or uncertain values per tag, for status; only tags that had any. */
    public Map<String, Long> badQualityCounts() {
        Map<String, Long> counts = new TreeMap<>();
        states.forEach((path, state) -> {
            if (state.badQuality > 0) {
                counts.put(path, state.badQuality);
            }
        });
        return counts;
    }

    /** Cancels pending minimum-interval windows, handing their latest value on rather than losing it. */
    public void flushAll() {
        states.values().forEach(this::flush);
    }

    private static final class TagState {
        final TagSettings tag;
        Number lastSent;
        long lastSentAt;
        MeterReading lastEmitted;
        Number previousSent;
        long previousSentAt;
        MeterReading pending;
        DataValue parkedInitial;
        ScheduledFuture<?> flush;
        long badQuality;
        boolean ignored;

        TagState(TagSettings tag) {
            this.tag = tag;
        }
    }
}
