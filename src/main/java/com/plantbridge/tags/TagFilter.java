package com.plantbridge.tags;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.knowledge.ReferenceReadings;
import com.plantbridge.maintainx.MeterDirectory;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.settings.AssetStatusSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.TagSettings;

/**
 * Turns a connector's raw tag values into meter readings: good quality only, numbers only,
 * change-only with an absolute deadband, and at most one reading per minimum interval, where the
 * latest value of the window is sent when the window closes so the last change is never lost.
 * A tag with an {@code asset-status} also yields an asset status change whenever the status its
 * value stands for changes (no deadband, no minimum interval: a status change is rare and exact).
 * A tag whose meter is still being found or created has its changes sent with meter 0 (they wait
 * in the outbox for it) and its current value held here until the meter and MaintainX's last
 * reading of it are known, to be compared with them like any current value.
 */
public final class TagFilter implements TagValueListener, MeterDirectory.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(TagFilter.class);

    /** {@link #meterOf} for a tag that has no meter and gets none (it only drives an asset status). */
    private static final long NO_METER = -1;

    private final ConnectorSettings connector;
    private final MeterDirectory meters;
    private final ScheduledExecutorService timer;
    private volatile ReadingSink sink;
    private final LongSupplier nanoClock;
    private final ReferenceReadings references;
    private final long minIntervalNanos;
    private final Map<String, TagState> states = new ConcurrentHashMap<>();
    /** MaintainX's last reading of each meter found for a tag after the subscription started. */
    private final Map<String, LastReading> foundReferences = new ConcurrentHashMap<>();
    private final AtomicLong valuesReceived = new AtomicLong();
    private final AtomicLong readingsEmitted = new AtomicLong();
    private final AtomicLong waitingForReference = new AtomicLong();
    private volatile TagCounts counts = new TagCounts();
    private final java.util.concurrent.atomic.AtomicBoolean loggedNotAMeterValue = new java.util.concurrent.atomic.AtomicBoolean();

    public TagFilter(ConnectorSettings connector, ScheduledExecutorService timer, ReadingSink sink, ReferenceReadings references) {
        this(connector, MeterDirectory.NONE, timer, sink, references, System::nanoTime);
    }

    public TagFilter(ConnectorSettings connector, MeterDirectory meters, ScheduledExecutorService timer, ReadingSink sink,
                     ReferenceReadings references) {
        this(connector, meters, timer, sink, references, System::nanoTime);
    }

    TagFilter(ConnectorSettings connector, ScheduledExecutorService timer, ReadingSink sink, ReferenceReadings references, LongSupplier nanoClock) {
        this(connector, MeterDirectory.NONE, timer, sink, references, nanoClock);
    }

    TagFilter(ConnectorSettings connector, MeterDirectory meters, ScheduledExecutorService timer, ReadingSink sink,
              ReferenceReadings references, LongSupplier nanoClock) {
        this.connector = connector;
        this.meters = meters;
        this.references = references;
        this.timer = timer;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.minIntervalNanos = connector.minInterval().toNanos();
    }

    /**
     * A tag's current value when its subscription starts may have been sent long ago, by this node
     * or by the other one, or be on its way from the other node's outbox. It is compared with the
     * newest reading the pair knows MaintainX holds or will hold for the meter ({@link
     * ReferenceReadings}): sent only if it is newer and a change against it; otherwise it only
     * becomes the reference for change-only. A value whose reference is not settled yet (a meter
     * nobody of the pair knows, a value the old leader may have captured unbeknown to this node)
     * waits while it is settled in the background; any change of the tag supersedes it.
     */
    @Override
    public void onInitialValue(TagSettings tag, DataValue value) {
        TagState state = states.computeIfAbsent(tag.path(), p -> new TagState(tag));
        synchronized (state) {
            if (isNumber(value)) {
                Instant date = readingDate(value);
                long meter = meterOf(state.tag);
                ReferenceReadings.Reference reading = meter > 0 ? references.of(connector, meter, date) : NOTHING_TO_COMPARE;
                AssetStatusSettings rule = state.tag.assetStatus();
                long asset = rule == null ? 0 : MeterReading.assetKey(rule.assetId());
                ReferenceReadings.Reference status = rule != null ? references.of(connector, asset, date) : NOTHING_TO_COMPARE;
                if (!reading.settled() || !status.settled()) {
                    park(state, value);
                    references.settle(connector, !reading.settled() ? meter : asset, () -> timer.execute(() -> releaseParked(state)));
                    return;
                }
                valuesReceived.incrementAndGet();
                counts.countReceived();
                boolean sendStatus = !statusAlreadyHeld(state, value, status.newest());
                boolean sendReading = false;
                if (meter == 0) {
                    state.parkedForMeter = value;   // compared when the meter and its last reading are known
                } else if (meter > 0) {
                    sendReading = !alreadyHeld(state, value, reading.newest());
                }
                if (sendReading || sendStatus) {
                    handle(state, value, sendReading, sendStatus);
                }
                return;
            }
        }
        onValue(tag, value);
    }

    /** What a value is compared with when it has no meter or no asset: nothing to wait for. */
    private static final ReferenceReadings.Reference NOTHING_TO_COMPARE = new ReferenceReadings.Reference(true, null);

    /** Current values waiting for their meter's reference, for status. */
    public long waitingForReference() {
        return waitingForReference.get();
    }

    /** Holds (or, with null, lets go of) a tag's current value while its reference is settled; under the state's lock. */
    private void park(TagState state, DataValue value) {
        if ((state.parkedInitial == null) != (value == null)) {
            waitingForReference.addAndGet(value == null ? -1 : 1);
        }
        state.parkedInitial = value;
    }

    /** The tag's meter: its meter-id, the one found or created for it (0 while pending), or {@link #NO_METER}. */
    private long meterOf(TagSettings tag) {
        if (tag.hasMeterId()) {
            return tag.meterId();
        }
        return connector.autoCreateMeters() ? meters.meterOf(connector.name(), tag.path()) : NO_METER;
    }

    /** What a tag's meter holds, told before the meter is known to any value of the tag. */
    @Override
    public void meterReference(String tagPath, LastReading lastReading) {
        if (lastReading != null) {
            foundReferences.put(tagPath, lastReading);
        }
    }

    /**
     * The meter of a tag is known now: its current value, held since the subscription started, is
     * compared with what the meter holds (another node may have sent it already).
     */
    @Override
    public void meterFound(String tagPath, long meterId) {
        TagState state = states.get(tagPath);
        if (state == null) {
            return;   // its first value, when it comes, meets the reference
        }
        synchronized (state) {
            DataValue parked = state.parkedForMeter;
            if (parked == null || meterOf(state.tag) <= 0) {
                return;
            }
            state.parkedForMeter = null;
            ReferenceReadings.Reference reference = references.of(connector, meterOf(state.tag), readingDate(parked));
            if (!alreadyHeld(state, parked, reference.settled() ? reference.newest() : null)) {
                handle(state, parked, true, false);
            }
        }
    }

    private void releaseParked(TagState state) {
        DataValue parked;
        synchronized (state) {
            parked = state.parkedInitial;
            park(state, null);
        }
        if (parked != null) {
            onInitialValue(state.tag, parked);
        }
    }

    /**
     * True (and the value becomes the reference) when MaintainX, this node, or the peer already has
     * it: {@code last} is the newest reading the pair knows of the meter (null: none, or not known
     * yet for a meter just found, whose reference then comes from the meter directory).
     */
    private boolean alreadyHeld(TagState state, DataValue value, LastReading last) {
        Number number = MeterValues.toNumber(value.getValue().getValue());
        Instant date = readingDate(value);
        if (last == null) {
            last = foundReferences.get(state.tag.path());
        }
        long now = nanoClock.getAsLong();
        if (last != null && (state.lastSentDate == null || last.readingDate().isAfter(state.lastSentDate))) {
            // MaintainX, or the peer's node, holds something newer than this node sent: that is the reference.
            state.lastSent = last.value();
            state.lastSentDate = last.readingDate();
            state.lastSentAt = now - minIntervalNanos;
            state.lastEmitted = null;
        }
        boolean skip = state.lastSent != null && (!date.isAfter(state.lastSentDate) || !changed(state, state.lastSent, number));
        if (skip && number != null) {
            state.lastSent = number;
            state.lastSentDate = date;
            state.lastSentAt = now - minIntervalNanos;
        }
        return skip;
    }

    /**
     * The asset status a current value stands for, against the status MaintainX holds or will hold
     * for the asset ({@code last}: value 1 ONLINE, 0 OFFLINE; the same rule as for readings): true
     * when it is not to be sent.
     */
    private boolean statusAlreadyHeld(TagState state, DataValue value, LastReading last) {
        AssetStatusSettings rule = state.tag.assetStatus();
        if (rule == null) {
            return true;
        }
        AssetStatusSettings.Status status = rule.statusOf(MeterValues.toNumber(value.getValue().getValue()));
        if (status == null) {
            return true;
        }
        Instant date = readingDate(value);
        if (last != null && (state.statusDate == null || last.readingDate().isAfter(state.statusDate))) {
            state.lastStatus = last.value() == 1 ? AssetStatusSettings.Status.ONLINE : AssetStatusSettings.Status.OFFLINE;
            state.statusDate = last.readingDate();
            state.lastStatusItem = null;
        }
        boolean skip = state.lastStatus != null && (status == state.lastStatus || !date.isAfter(state.statusDate));
        if (skip) {
            state.lastStatus = status;
            state.statusDate = date;
        }
        return skip;
    }

    private static boolean isNumber(DataValue value) {
        return value.getStatusCode().isGood() && MeterValues.kind(value.getValue().getValue()) == MeterValues.Kind.NUMBER;
    }

    @Override
    public void onValue(TagSettings tag, DataValue value) {
        valuesReceived.incrementAndGet();
        counts.countReceived();
        TagState state = states.computeIfAbsent(tag.path(), p -> new TagState(tag));
        synchronized (state) {
            park(state, null);   // a newer value supersedes a current value still waiting
            state.parkedForMeter = null;
            handle(state, value, true, true);
        }
    }

    /** Quality and type first; then the reading (if the tag has or awaits a meter) and the status (if it drives one). */
    private void handle(TagState state, DataValue value, boolean reading, boolean status) {
        if (!value.getStatusCode().isGood()) {
            state.badQuality++;
            return;
        }
        Object raw = value.getValue().getValue();
        switch (MeterValues.kind(raw)) {
            case REFUSED -> {
                skip(state, "an array or UDT (" + raw.getClass().getSimpleName() + "); only simple tags can be meter readings");
                return;
            }
            case NOT_A_METER_VALUE -> {
                skip(state, "a " + (raw == null ? "null" : raw.getClass().getSimpleName()) + " value, not a number");
                return;
            }
            case NUMBER -> state.notAMeterValue = null;
        }
        Number number = MeterValues.toNumber(raw);
        if (number == null) {
            state.badQuality++;
            return;
        }
        Instant date = readingDate(value);
        if (status && state.tag.assetStatus() != null) {
            offerStatus(state, number, date);
        }
        long meter = meterOf(state.tag);
        if (reading && meter >= 0) {
            offer(state, new MeterReading(connector.name(), state.tag.path(), meter, number, date));
        }
    }

    /** On change only: a value that stands for the status last sent, or for none, sends nothing. */
    private void offerStatus(TagState state, Number number, Instant date) {
        AssetStatusSettings rule = state.tag.assetStatus();
        AssetStatusSettings.Status status = rule.statusOf(number);
        if (status == null || status == state.lastStatus) {
            return;
        }
        state.previousStatus = state.lastStatus;
        state.previousStatusDate = state.statusDate;
        state.lastStatus = status;
        state.statusDate = date;
        MeterReading change = MeterReading.assetStatus(connector.name(), state.tag.path(), rule.assetId(), status, date);
        state.lastStatusItem = change;
        sink.reading(change);
    }

    /**
     * MaintainX readings are numbers: a String, DateTime, array or UDT tag is kept out, with its reason
     * in status. The first such tag of a connector is logged; the others at DEBUG (6,000 lines of
     * one mistake help no one).
     */
    private void skip(TagState state, String reason) {
        if (reason.equals(state.notAMeterValue)) {
            return;
        }
        state.notAMeterValue = reason;
        if (loggedNotAMeterValue.compareAndSet(false, true)) {
            LOG.warn("Connector {}: tag {} holds {}; it is skipped (further such tags are logged at DEBUG; all are listed in status)",
                    connector.name(), state.tag.path(), reason);
        } else {
            LOG.debug("Connector {}: tag {} holds {}; it is skipped", connector.name(), state.tag.path(), reason);
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
        state.previousSentDate = state.lastSentDate;
        state.lastEmitted = reading;
        state.lastSent = reading.value();
        state.lastSentDate = reading.readingDate();
        state.lastSentAt = now;
        readingsEmitted.incrementAndGet();
        counts.countPassedFilter();
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
            if (state.lastStatusItem == reading) {
                state.lastStatus = state.previousStatus;
                state.statusDate = state.previousStatusDate;
                state.lastStatusItem = null;
            }
            if (state.lastEmitted == reading) {
                state.lastSent = state.previousSent;
                state.lastSentAt = state.previousSentAt;
                state.lastSentDate = state.previousSentDate;
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
    /** Where this filter's values and readings are counted for the node's life (metrics). */
    void countInto(TagCounts nodeCounts) {
        this.counts = nodeCounts;
    }

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
        return badQuality(Integer.MAX_VALUE).first();
    }

    /** How many tags had bad or uncertain values, and the first {@code max} of them by path with their counts. */
    public TagSummary<Long> badQuality(int max) {
        return summary(state -> state.badQuality > 0 ? state.badQuality : null, max);
    }

    /** Tags whose last value cannot be a meter reading (String, DateTime, array, UDT), with the reason; for status. */
    public Map<String, String> notMeterValues() {
        return notMeterValues(Integer.MAX_VALUE).first();
    }

    /** How many tags hold a value that cannot be a meter reading, and the first {@code max} of them by path with the reason. */
    public TagSummary<String> notMeterValues(int max) {
        return summary(state -> state.notAMeterValue, max);
    }

    /**
     * The tags for which {@code value} is not null: how many, and the first {@code max} by path. Keeps
     * only {@code max} entries while it walks the tags (status read all 6,000 of each connector into
     * sorted maps: 50 ms of each status call at 20 x 6,000 tags).
     */
    private <V> TagSummary<V> summary(java.util.function.Function<TagState, V> value, int max) {
        TreeMap<String, V> first = new TreeMap<>();
        int total = 0;
        for (Map.Entry<String, TagState> e : states.entrySet()) {
            V v = value.apply(e.getValue());
            if (v == null) {
                continue;
            }
            total++;
            if (first.size() < max) {
                first.put(e.getKey(), v);
            } else if (e.getKey().compareTo(first.lastKey()) < 0) {
                first.pollLastEntry();
                first.put(e.getKey(), v);
            }
        }
        return new TagSummary<>(total, first);
    }

    /** Cancels pending minimum-interval windows, handing their latest value on rather than losing it. */
    public void flushAll() {
        states.values().forEach(this::flush);
    }

    private static final class TagState {
        final TagSettings tag;
        Number lastSent;
        Instant lastSentDate;
        long lastSentAt;
        MeterReading lastEmitted;
        Number previousSent;
        long previousSentAt;
        Instant previousSentDate;
        MeterReading pending;
        DataValue parkedInitial;
        /** The current value of a tag whose meter is being found or created. */
        DataValue parkedForMeter;
        AssetStatusSettings.Status lastStatus;
        Instant statusDate;
        MeterReading lastStatusItem;
        AssetStatusSettings.Status previousStatus;
        Instant previousStatusDate;
        ScheduledFuture<?> flush;
        long badQuality;
        volatile String notAMeterValue;

        TagState(TagSettings tag) {
            this.tag = tag;
        }
    }
}
