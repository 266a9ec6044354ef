package com.plantbridge.outbox;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.reading.MeterReading;

/**
 * The durable store of accepted readings: an H2 log in the data dir, and per connector a line in
 * memory from which batches are cut. A reading is accepted once its append has committed; it
 * leaves only when MaintainX has answered 201 or refused it for good (then it is kept,
 * quarantined, with the reason). A batch is marked in flight (a seq range) before its POST, so
 * that after a crash the batches whose outcome is unknown can be settled against what MaintainX
 * holds instead of being sent twice. H2 is read back only at start.
 */
@ManagedResource(description = "Durable outbox of accepted readings")
public final class Outbox extends ServiceSupport {

    /** Readings per H2 row at most: small rows keep the pages that H2 rewrites on each commit small. */
    static final int MAX_CHUNK = 500;
    /** Suffix of the line that holds a connector's readings waiting for their meter; '#' is not allowed in a connector name. */
    private static final String AWAITING_METER = "#awaiting-meter";
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Path directory;
    private final long maxReadings;
    private final LongSupplier clock;
    private final AtomicLong droppedAtBound = new AtomicLong();
    private final AtomicLong conflatedAtBound = new AtomicLong();
    private final Map<String, ConnectorQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, Long> quarantined = new ConcurrentHashMap<>();
    // Guarded by this (the single writer).
    private final Map<String, TreeMap<Long, Long>> chunks = new HashMap<>();
    private final Map<String, Long> done = new HashMap<>();
    private final Map<String, List<InFlightBatch>> orphans = new HashMap<>();
    private volatile OutboxStore store;
    private volatile DeliveryRecord record = DeliveryRecord.NONE;
    /** Knowledge rows written in the transaction under way, told to the record once it commits. */
    private List<HeldReading> unkept = new ArrayList<>();
    private long nextSeq;
    private long nextBatch;

    public Outbox(Path dataDir, long maxReadings) {
        this(dataDir, maxReadings, System::currentTimeMillis);
    }

    Outbox(Path dataDir, long maxReadings, LongSupplier clock) {
        this.directory = dataDir.resolve("outbox");
        this.maxReadings = maxReadings;
        this.clock = clock;
    }

    @Override
    protected synchronized void doStart() throws Exception {
        store = new OutboxStore(directory);
        LegacyOutboxMigration.run(store.writer());
        done.putAll(store.done());
        quarantined.putAll(store.quarantineCounts());
        long[] highest = store.highestSeqAndBatch();
        nextSeq = highest[0] + 1;
        nextBatch = highest[1] + 1;
        readBack();
    }

    /** The lines and the batches in flight at the last stop, from the log. */
    private void readBack() throws SQLException {
        Map<String, List<OutboxStore.InFlightRow>> marks = store.inFlight().stream()
                .collect(Collectors.groupingBy(OutboxStore.InFlightRow::connector, LinkedHashMap::new, Collectors.toList()));
        Map<Long, List<OutboxReading>> marked = new HashMap<>();
        Map<String, List<OutboxReading>> lines = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        for (OutboxStore.Chunk chunk : store.chunks()) {
            long doneSeq = done.getOrDefault(chunk.connector(), 0L);
            if (chunk.lastSeq() <= doneSeq) {
                store.deleteChunk(chunk.firstSeq());
                continue;
            }
            chunks.computeIfAbsent(chunk.connector(), c -> new TreeMap<>()).put(chunk.firstSeq(), chunk.lastSeq());
            for (OutboxReading r : ChunkCodec.decode(chunk.items(), chunk.connector(), chunk.term(), chunk.capturedAt(), tags)) {
                if (r.seq() <= doneSeq) {
                    continue;
                }
                OutboxStore.InFlightRow mark = markOf(marks.getOrDefault(chunk.connector(), List.of()), r.seq());
                (mark == null ? lines.computeIfAbsent(chunk.connector(), c -> new ArrayList<>())
                        : marked.computeIfAbsent(mark.batchId(), b -> new ArrayList<>())).add(r);
            }
        }
        for (List<OutboxStore.InFlightRow> rows : marks.values()) {
            for (OutboxStore.InFlightRow row : rows) {
                List<OutboxReading> readings = marked.getOrDefault(row.batchId(), List.of());
                if (readings.isEmpty()) {
                    store.deleteInFlight(row.batchId());
                    continue;
                }
                orphans.computeIfAbsent(row.connector(), c -> new ArrayList<>())
                        .add(new InFlightBatch(row.batchId(), row.connector(), row.afterSeq(), row.lastSeq(), readings));
                queue(row.connector()).holdTaken(readings);
            }
        }
        store.commit();
        lines.forEach((connector, line) -> queue(connector).add(line));
        if (size() > 0) {
            LOG.info("Outbox read back: {} readings waiting, {} in flight at the last stop, {} quarantined", lines.values().stream().mapToInt(List::size).sum(),
                    marked.values().stream().mapToInt(List::size).sum(), quarantined.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    private static OutboxStore.InFlightRow markOf(List<OutboxStore.InFlightRow> rows, long seq) {
        for (OutboxStore.InFlightRow row : rows) {
            if (seq > row.afterSeq() && seq <= row.lastSeq()) {
                return row;
            }
        }
        return null;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (store != null) {
            store.close();
            store = null;
        }
        queues.clear();
        quarantined.clear();
        chunks.clear();
        done.clear();
        orphans.clear();
    }

    /** Who keeps what deliveries teach about MaintainX; set before the senders start. */
    public void keepDeliveriesIn(DeliveryRecord record) {
        this.record = record;
    }

    /** The newest reading per meter (reference key) that some connector's line still holds to deliver, in line or in flight. */
    public Map<Long, OutboxReading> waitingNewest() {
        Map<Long, OutboxReading> newest = new HashMap<>();
        for (ConnectorQueue q : queues.values()) {
            // Of two readings in the same millisecond, the later in line is the one MaintainX will hold last.
            q.newestPerMeter().forEach((key, r) -> newest.merge(key, r, (a, b) -> b.reading().readingDate().isAfter(a.reading().readingDate())
                    || (b.reading().readingDate().equals(a.reading().readingDate()) && b.seq() > a.seq()) ? b : a));
        }
        return newest;
    }

    /**
     * Waiting readings that MaintainX holds already because the peer's node delivered the very same
     * readings (same meter, date and value) while this node was down: done, and known as held.
     */
    public synchronized void deliveredElsewhere(String connector, List<OutboxReading> readings) throws SQLException {
        Set<Long> seqs = seqsOf(readings);
        List<OutboxReading> removed = queue(connector).removeSeqs(seqs);
        try {
            List<HeldReading> rows = record.toKeep(removed);
            store.mergeHeld(rows);
            unkept.addAll(rows);
            removeFromLog(connector, seqsOf(removed));
            store.commit();
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            unkept.clear();
            queue(connector).addFirst(removed);
            throw e;
        }
        committed();
    }

    /** What this node has learned MaintainX holds, per meter, as stored. */
    public synchronized List<HeldReading> heldReadings() throws SQLException {
        return store.held();
    }

    /** What MaintainX was read to hold (settling current values or batches), kept durably. */
    public synchronized void learned(List<HeldReading> rows) throws SQLException {
        try {
            store.mergeHeld(rows);
            store.commit();
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            throw e;
        }
    }

    private void committed() {
        if (!unkept.isEmpty()) {
            List<HeldReading> rows = unkept;
            unkept = new ArrayList<>();
            record.kept(rows);
        }
    }

    /** A connector's line (an empty one for a connector with nothing held). */
    public ConnectorQueue queue(String connector) {
        return queues.computeIfAbsent(connector, c -> new ConnectorQueue(c, clock));
    }

    /** Which meter a tag's readings go to, once known (0 while it is being found or created). */
    @FunctionalInterface
    public interface MeterResolver {
        long meterOf(String connector, String tagPath);

        MeterResolver NONE = (connector, tagPath) -> 0;
    }

    /**
     * Stores the readings in one transaction and puts them in their connectors' lines; when this
     * returns, they survive a kill of the process.
     */
    public void append(List<MeterReading> readings, long term) throws SQLException {
        append(readings, term, MeterResolver.NONE);
    }

    /**
     * As {@link #append(List, long)}; a reading whose meter is not known yet gets it from
     * {@code resolver}, or waits in the connector's awaiting-meter line (as durable as the others)
     * until {@link #meterFound} moves it, in order, behind nothing newer of its tag.
     */
    public void append(List<MeterReading> readings, long term, MeterResolver resolver) throws SQLException {
        if (readings.isEmpty()) {
            return;
        }
        synchronized (this) {
            Map<String, List<MeterReading>> byConnector = new LinkedHashMap<>();
            for (MeterReading reading : readings) {
                MeterReading item = reading;
                String line = reading.connector();
                if (reading.awaitsMeter()) {
                    long meter = resolver.meterOf(reading.connector(), reading.tagPath());
                    if (meter > 0) {
                        item = reading.withMeter(meter);
                    } else {
                        line = awaitingMeterLine(reading.connector());
                    }
                }
                byConnector.computeIfAbsent(line, c -> new ArrayList<>()).add(item);
            }
            long now = clock.getAsLong();
            Map<String, List<OutboxReading>> added = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, List<MeterReading>> group : byConnector.entrySet()) {
                    List<OutboxReading> items = new ArrayList<>(group.getValue().size());
                    for (MeterReading reading : group.getValue()) {
                        items.add(new OutboxReading(nextSeq++, reading, term, now));
                    }
                    writeChunks(group.getKey(), items, term, now);
                    added.put(group.getKey(), items);
                }
                store.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(added.keySet());
                throw e;
            }
            added.forEach((connector, items) -> queue(connector).add(items));
            if (size() > maxReadings) {
                enforceBound();
            }
        }
    }

    /** The line of a connector's readings whose meter is still being found or created. */
    public static String awaitingMeterLine(String connector) {
        return connector + AWAITING_METER;
    }

    /**
     * The meters of some tags are known now: {@code publish}, given the readings that waited for
     * them, makes the meters known to new readings, and those readings move to the end of the
     * connector's line with their meter, in one transaction and under the same lock as
     * {@link #append}, so that no newer reading of those tags can get ahead of them. Returns the
     * readings moved, with their meter.
     */
    public synchronized List<OutboxReading> meterFound(String connector, Map<String, Long> meters,
                                                       Consumer<List<OutboxReading>> publish) throws SQLException {
        String awaiting = awaitingMeterLine(connector);
        List<OutboxReading> waiting = queue(awaiting).removeTags(meters.keySet());
        try {
            publish.accept(waiting);
        } catch (RuntimeException e) {
            queue(awaiting).addFirst(waiting);
            throw e;
        }
        if (waiting.isEmpty()) {
            return List.of();
        }
        long now = clock.getAsLong();
        List<OutboxReading> moved = new ArrayList<>(waiting.size());
        try {
            int from = 0;
            while (from < waiting.size()) {
                long term = waiting.get(from).term();
                List<OutboxReading> run = new ArrayList<>();
                while (from < waiting.size() && waiting.get(from).term() == term) {
                    // Read back from the log, a waiting reading names the awaiting line as its connector.
                    MeterReading reading = waiting.get(from).reading().forConnector(connector);
                    run.add(new OutboxReading(nextSeq++, reading.withMeter(meters.get(reading.tagPath())), term, now));
                    from++;
                }
                writeChunks(connector, run, term, now);
                moved.addAll(run);
            }
            removeFromLog(awaiting, seqsOf(waiting));
            store.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(Set.of(connector, awaiting));
            queue(awaiting).addFirst(waiting);
            throw e;
        }
        queue(connector).add(moved);
        return moved;
    }

    private void writeChunks(String connector, List<OutboxReading> items, long term, long capturedAt) throws SQLException {
        TreeMap<Long, Long> own = chunks.computeIfAbsent(connector, c -> new TreeMap<>());
        for (int from = 0; from < items.size(); from += MAX_CHUNK) {
            List<OutboxReading> part = items.subList(from, Math.min(items.size(), from + MAX_CHUNK));
            long first = part.get(0).seq();
            long last = part.get(part.size() - 1).seq();
            store.insertChunk(first, last, connector, term, capturedAt, ChunkCodec.encode(part));
            own.put(first, last);
        }
    }

    private void rollback(Set<String> connectors) throws SQLException {
        store.rollback();
        // The chunk map may name chunks of the rolled-back transaction; it is rebuilt from what is stored.
        for (String connector : connectors) {
            chunks.remove(connector);
        }
        for (OutboxStore.Chunk chunk : store.chunks()) {
            if (connectors.contains(chunk.connector())) {
                chunks.computeIfAbsent(chunk.connector(), c -> new TreeMap<>()).put(chunk.firstSeq(), chunk.lastSeq());
            }
        }
    }

    /**
     * Marks readings taken from a connector's line in flight before their POST: the readings with
     * a seq after the connector's done mark up to {@code lastSeq} (quarantined ones are gone from the log).
     */
    public synchronized InFlightBatch markInFlight(String connector, List<OutboxReading> readings, long lastSeq) throws SQLException {
        long batchId = nextBatch++;
        long after = done.getOrDefault(connector, 0L);
        store.insertInFlight(batchId, connector, after, lastSeq);
        store.commit();
        return new InFlightBatch(batchId, connector, after, lastSeq, readings);
    }

    /**
     * One transaction for a sender under load: MaintainX holds {@code delivered}, and the next
     * readings are marked in flight. Saves a commit per batch, a third of the sender's time in H2 (measured).
     */
    public synchronized InFlightBatch deliveredAndMark(InFlightBatch delivered, List<OutboxReading> readings, long lastSeq) throws SQLException {
        long batchId = nextBatch++;
        try {
            store.deleteInFlight(delivered.batchId());
            finish(delivered);
            long after = done.getOrDefault(delivered.connector(), 0L);
            store.insertInFlight(batchId, delivered.connector(), after, lastSeq);
            store.commit();
            committed();
            queue(delivered.connector()).finished(delivered.readings());
            return new InFlightBatch(batchId, delivered.connector(), after, lastSeq, readings);
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            unkept.clear();
            throw e;
        }
    }

    /** MaintainX holds the batch: its readings are done. */
    public synchronized void delivered(InFlightBatch batch) throws SQLException {
        close(batch, true);
    }

    /** MaintainX did not store the batch (it answered, and not 201): the mark goes; the readings are the caller's. */
    public synchronized void release(InFlightBatch batch) throws SQLException {
        store.deleteInFlight(batch.batchId());
        store.commit();
    }

    /**
     * Stopping while the last POST of the batch got no answer: it may be at MaintainX, so it stays
     * marked and is settled, like after a crash, before the connector sends again.
     */
    public synchronized void leaveInFlight(InFlightBatch batch) {
        orphans.computeIfAbsent(batch.connector(), c -> new ArrayList<>()).add(batch);
    }

    /** Batches in flight at the last stop whose outcome is unknown, oldest first. */
    public synchronized List<InFlightBatch> unsettled(String connector) {
        return List.copyOf(orphans.getOrDefault(connector, List.of()));
    }

    /** An unsettled batch is settled: done if MaintainX holds it, else back at the head of its line. */
    public synchronized void settled(InFlightBatch batch, boolean atMaintainx) throws SQLException {
        List<InFlightBatch> own = orphans.get(batch.connector());
        if (own == null || !own.remove(batch)) {
            throw new IllegalStateException("batch " + batch.batchId() + " of connector " + batch.connector() + " is not unsettled");
        }
        close(batch, atMaintainx);
    }

    /** The batch's mark goes in one transaction with its readings done (at MaintainX) or back at the head of its line. */
    private void close(InFlightBatch batch, boolean atMaintainx) throws SQLException {
        try {
            store.deleteInFlight(batch.batchId());
            if (atMaintainx) {
                finish(batch);
            }
            store.commit();
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            unkept.clear();
            throw e;
        }
        committed();
        if (atMaintainx) {
            queue(batch.connector()).finished(batch.readings());
        } else {
            queue(batch.connector()).putBack(batch.readings());
        }
    }

    private void finish(InFlightBatch batch) throws SQLException {
        List<HeldReading> rows = record.toKeep(batch.readings());
        store.mergeHeld(rows);
        unkept.addAll(rows);
        if (batch.afterSeq() <= done.getOrDefault(batch.connector(), 0L)) {
            advance(batch.connector(), batch.lastSeq());
        } else {
            removeFromLog(batch.connector(), batch.readings().stream().map(OutboxReading::seq).collect(Collectors.toSet()));
        }
    }

    /** A reading to quarantine and why. */
    public record Refusal(OutboxReading reading, String reason) {
    }

    /**
     * Moves taken readings to the quarantine with their reasons. {@code doneThrough} > 0 also marks
     * everything of the connector up to that seq done (the quarantined readings were the last of a cut).
     */
    public synchronized void quarantine(String connector, List<Refusal> refusals, long doneThrough) throws SQLException {
        try {
            for (Refusal refusal : refusals) {
                store.insertQuarantine(refusal.reading(), refusal.reason());
            }
            removeFromLog(connector, refusals.stream().map(r -> r.reading().seq()).collect(Collectors.toSet()));
            if (doneThrough > 0) {
                advance(connector, doneThrough);
            }
            store.commit();
        } catch (SQLException | RuntimeException e) {
            store.rollback();
            throw e;
        }
        quarantined.merge(connector, (long) refusals.size(), Long::sum);
        List<OutboxReading> out = refusals.stream().map(Refusal::reading).toList();
        queue(connector).finished(out);
        record.dropped(out);
    }

    /** Everything of the connector up to {@code seq} is done: the mark moves and wholly done chunks go. */
    private void advance(String connector, long seq) throws SQLException {
        if (seq <= done.getOrDefault(connector, 0L)) {
            return;
        }
        store.setDone(connector, seq);
        done.put(connector, seq);
        TreeMap<Long, Long> own = chunks.get(connector);
        while (own != null && !own.isEmpty() && own.firstEntry().getValue() <= seq) {
            store.deleteChunk(own.pollFirstEntry().getKey());
        }
    }

    /** Rewrites the chunks holding {@code seqs} without them (the bound, the quarantine). */
    private void removeFromLog(String connector, Set<Long> seqs) throws SQLException {
        TreeMap<Long, Long> own = chunks.get(connector);
        if (seqs.isEmpty() || own == null) {
            return;
        }
        Set<Long> touched = new java.util.TreeSet<>();
        for (long seq : seqs) {
            Map.Entry<Long, Long> chunk = own.floorEntry(seq);
            if (chunk != null && seq <= chunk.getValue()) {
                touched.add(chunk.getKey());
            }
        }
        long doneSeq = done.getOrDefault(connector, 0L);
        for (long first : touched) {
            OutboxStore.Chunk chunk = store.chunk(first);
            List<OutboxReading> kept = ChunkCodec.decode(chunk.items(), connector, chunk.term(), chunk.capturedAt(), new HashMap<>())
                    .stream().filter(r -> r.seq() > doneSeq && !seqs.contains(r.seq())).toList();
            if (kept.isEmpty()) {
                store.deleteChunk(first);
                own.remove(first);
            } else {
                long last = kept.get(kept.size() - 1).seq();
                store.rewriteChunk(first, last, ChunkCodec.encode(kept));
                own.put(first, last);
            }
        }
    }

    /** Puts a connector's quarantined readings back in line, at its end (after the cause was fixed); returns how many. */
    public synchronized int replayQuarantine(String connector) throws SQLException {
        List<OutboxReading> old;
        List<OutboxReading> renewed = new ArrayList<>();
        long now = clock.getAsLong();
        try {
            old = store.takeQuarantine(connector);
            int from = 0;
            while (from < old.size()) {
                long term = old.get(from).term();
                int to = from;
                List<OutboxReading> run = new ArrayList<>();
                while (to < old.size() && old.get(to).term() == term) {
                    run.add(new OutboxReading(nextSeq++, old.get(to).reading(), term, now));
                    to++;
                }
                writeChunks(connector, run, term, now);
                renewed.addAll(run);
                from = to;
            }
            store.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(Set.of(connector));
            throw e;
        }
        quarantined.put(connector, 0L);
        queue(connector).add(renewed);
        return renewed.size();
    }

    /**
     * The store's bound (bridge.outbox.max-readings), reached during a long MaintainX outage:
     * first keep only the latest waiting reading per tag and minute; if that is not enough, drop
     * the oldest waiting readings. Either is logged with counts; neither is silent.
     */
    private void enforceBound() throws SQLException {
        int merged = 0;
        for (ConnectorQueue q : queues.values()) {
            List<OutboxReading> removed = q.conflatePerMinute();
            merged += removed.size();
            removeFromLog(q.connector(), seqsOf(removed));
        }
        store.commit();
        conflatedAtBound.addAndGet(merged);
        LOG.warn("Outbox reached its bound of {} readings (bridge.outbox.max-readings): merged {} waiting readings into the latest value per tag and minute; {} held now",
                maxReadings, merged, size());
        long target = maxReadings * 9 / 10;
        long excess = size() - target;
        if (excess > 0) {
            long[] waiting = queues.values().stream().map(ConnectorQueue::waitingSeqs).flatMapToLong(Arrays::stream).sorted().toArray();
            if (waiting.length == 0) {
                return;
            }
            long through = waiting[(int) Math.min(waiting.length, excess) - 1];
            int dropped = 0;
            for (ConnectorQueue q : queues.values()) {
                List<OutboxReading> removed = q.dropThrough(through);
                dropped += removed.size();
                removeFromLog(q.connector(), seqsOf(removed));
            }
            store.commit();
            droppedAtBound.addAndGet(dropped);
            LOG.error("Outbox still over 90% of its bound after merging: dropped the {} oldest waiting readings; {} held now", dropped, size());
        }
    }

    private static Set<Long> seqsOf(List<OutboxReading> readings) {
        return readings.stream().map(OutboxReading::seq).collect(Collectors.toSet());
    }

    @ManagedAttribute(description = "Readings merged into the latest per tag and minute when the bound was reached")
    public long getConflatedAtBound() {
        return conflatedAtBound.get();
    }

    @ManagedAttribute(description = "Oldest pending readings dropped because merging was not enough")
    public long getDroppedAtBound() {
        return droppedAtBound.get();
    }

    @ManagedAttribute(description = "Readings held: pending, in flight and quarantined")
    public long getSize() {
        return size();
    }

    @ManagedAttribute(description = "The bound: bridge.outbox.max-readings")
    public long getMaxReadings() {
        return maxReadings;
    }

    /** All readings held (waiting, in flight, quarantined). */
    public long size() {
        long held = 0;
        for (ConnectorQueue q : queues.values()) {
            held += q.size() + q.taken();
        }
        for (long q : quarantined.values()) {
            held += q;
        }
        return held;
    }

    /** The oldest waiting readings of a connector, in the order they were accepted, left in line. */
    public List<OutboxReading> pending(String connector, int max) {
        return queue(connector).peek(max);
    }

    /** When the oldest reading of a connector not yet at MaintainX (in line or in flight) was captured; empty when none waits. */
    public java.util.Optional<Instant> oldestWaiting(String connector) {
        Long oldest = queue(connector).oldestWaitingCapturedAtMillis();
        return java.util.Optional.ofNullable(oldest).map(Instant::ofEpochMilli);
    }

    public OutboxCounts counts(String connector) {
        ConnectorQueue q = queue(connector);
        Long oldest = q.oldestCapturedAtMillis();
        return new OutboxCounts(q.size(), q.taken(), quarantined.getOrDefault(connector, 0L), oldest == null ? null : Instant.ofEpochMilli(oldest),
                queue(awaitingMeterLine(connector)).size());
    }

    public List<Quarantined> quarantined(String connector, int max) throws SQLException {
        OutboxStore open = store;
        return open == null ? List.of() : open.quarantined(connector, max);
    }

    /** A reading MaintainX refused for good, with the reason. */
    public record Quarantined(OutboxReading reading, String reason) {
    }
}
