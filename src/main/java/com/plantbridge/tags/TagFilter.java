package com.plantbridge.tags;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private volatile Consumer<MeterReading> sink;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> alreadyHandledBefore;
    private final long minIntervalNanos;
    private final Map<String, TagState> states = new ConcurrentHashMap<>();
    private final AtomicLong valuesReceived = new AtomicLong();
    private final AtomicLong readingsEmitted = new AtomicLong();

    public TagFilter(ConnectorSettings connector, ScheduledExecutorService timer, Consumer<MeterReading> sink,
                     Supplier<Instant> alreadyHandledBefore) {
        this(connector, timer, sink, alreadyHandledBefore, System::nanoTime);
    }

    TagFilter(ConnectorSettings connector, ScheduledExecutorService timer, Consumer<MeterReading> sink,
              Supplier<Instant> alreadyHandledBefore, LongSupplier nanoClock) {
        this.connector = connector;
        this.alreadyHandledBefore = alreadyHandledBefore;
        this.timer = timer;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.minIntervalNanos = connector.minInterval().toNanos();
    }

    /**
     * A current value from before this node's gateway became Active was the other node's to send:
     * it only becomes the reference for change-only and the deadband.
     */
    @Override
    public void onInitialValue(TagSettings tag, DataValue value) {
        Instant cutoff = alreadyHandledBefore.get();
        if (cutoff != null && value.getStatusCode().isGood() && readingDate(value).isBefore(cutoff)
                && MeterValues.kind(value.getValue().getValue()) == MeterValues.Kind.NUMBER) {
            TagState state = states.computeIfAbsent(tag.path(), p -> new TagState(tag));
            synchronized (state) {
                if (state.lastSent == null) {
                    state.lastSent = MeterValues.toNumber(value.getValue().getValue());
                    state.lastSentAt = nanoClock.getAsLong() - minIntervalNanos;
                    valuesReceived.incrementAndGet();
                    return;
                }
            }
        }
        onValue(tag, value);
    }

    @Override
    public void onValue(TagSettings tag, DataValue value) {
        valuesReceived.incrementAndGet();
        TagState state = states.computeIfAbsent(tag.path(), p -> new TagState(tag));
        synchronized (state) {
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
        if (state.lastSent != null && !changed(state, reading.value())) {
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

    private void flush(TagState state) {
        synchronized (state) {
            state.flush = null;
            MeterReading pending = state.pending;
            state.pending = null;
            if (pending != null) {
                emit(state, pending, nanoClock.getAsLong());
            }
        }
    }

    private void emit(TagState state, MeterReading reading, long now) {
        state.lastSent = reading.value();
        state.lastSentAt = now;
        readingsEmitted.incrementAndGet();
        sink.accept(reading);
    }

    private boolean changed(TagState state, Number value) {
        double difference = Math.abs(value.doubleValue() - state.lastSent.doubleValue());
        double deadband = state.tag.deadbandOr(connector.deadband());
        return deadband > 0 ? difference > deadband : difference != 0 || !value.equals(state.lastSent);
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
    public void attach(Consumer<MeterReading> newSink) {
        this.sink = newSink;
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
        MeterReading pending;
        ScheduledFuture<?> flush;
        long badQuality;
        boolean ignored;

        TagState(TagSettings tag) {
            this.tag = tag;
        }
    }
}
