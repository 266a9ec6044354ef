package com.plantbridge.knowledge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.plantbridge.outbox.DeliveryRecord;
import com.plantbridge.outbox.HeldReading;
import com.plantbridge.outbox.OutboxReading;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;

/**
 * This node's knowledge of what MaintainX holds, per meter: what it delivered or read (kept
 * durably by the outbox with the delivery that taught it) and what it accepted and will still
 * deliver. Each change gets a sequence number, so the peer's node can follow it by asking for
 * what changed after the last number it has ({@link #delta}). The sequence starts again, under a
 * new epoch, at every start; a peer that sees a new epoch asks for everything.
 */
public final class OwnLedger implements DeliveryRecord {

    private static final class Entry {
        final long key;
        LastReading held;
        boolean settled;
        long learnedAt;
        LastReading onItsWay;
        long seq;

        Entry(long key) {
            this.key = key;
        }

        Knowledge knowledge() {
            return new Knowledge(held, settled, onItsWay, learnedAt == 0 ? null : Instant.ofEpochMilli(learnedAt));
        }
    }

    /** One entry as sent to the peer. */
    public record Change(long key, Knowledge knowledge) {
    }

    /** What changed after a sequence number: in order, at most as many as asked, and whether more remain. */
    public record Delta(String epoch, List<Change> changes, long last, boolean more) {
    }

    private final String epoch = UUID.randomUUID().toString();
    private final Map<Long, Entry> entries = new HashMap<>();
    private final TreeMap<Long, Long> bySeq = new TreeMap<>();
    private long seq;

    public String epoch() {
        return epoch;
    }

    /** At start: what the outbox stored as held, and what it still holds to deliver (newest per key). */
    public synchronized void load(List<HeldReading> held, Map<Long, LastReading> waiting) {
        for (HeldReading row : held) {
            Entry e = entry(row.key());
            e.settled = true;
            e.held = row.hasReading() ? new LastReading(row.value(), Instant.ofEpochMilli(row.readingDateMillis())) : null;
            e.learnedAt = row.learnedAtMillis();
            touch(e);
        }
        waiting.forEach((key, reading) -> {
            Entry e = entry(key);
            e.onItsWay = Knowledge.later(e.onItsWay, reading);
            touch(e);
        });
    }

    /** Readings this node accepted (they are in its outbox). */
    public synchronized void accepted(List<MeterReading> readings) {
        for (MeterReading r : readings) {
            long key = r.referenceKey();
            if (key == 0) {
                continue;   // its meter is still being found; the reading waits for it
            }
            Entry e = entry(key);
            LastReading reading = lastReading(r);
            // Of two readings in the same millisecond, the later accepted is the one MaintainX will hold last.
            if (e.onItsWay == null || !reading.readingDate().isBefore(e.onItsWay.readingDate())) {
                e.onItsWay = reading;
                touch(e);
            }
        }
    }

    @Override
    public synchronized List<HeldReading> toKeep(List<OutboxReading> delivered) {
        Map<Long, HeldReading> newest = new HashMap<>();
        long now = System.currentTimeMillis();
        for (OutboxReading r : delivered) {
            long key = r.reading().referenceKey();
            if (key == 0) {
                continue;
            }
            long date = r.reading().readingDate().toEpochMilli();
            Entry e = entries.get(key);
            HeldReading seen = newest.get(key);
            // In batch order: of two readings in one millisecond, the later one is MaintainX's last.
            boolean newer = (e == null || e.held == null || date >= e.held.readingDate().toEpochMilli())
                    && (seen == null || date >= seen.readingDateMillis());
            if (newer) {
                newest.put(key, new HeldReading(key, r.reading().value().doubleValue(), date, now));
            }
        }
        return List.copyOf(newest.values());
    }

    @Override
    public synchronized void kept(List<HeldReading> rows) {
        for (HeldReading row : rows) {
            Entry e = entry(row.key());
            LastReading reading = row.hasReading() ? new LastReading(row.value(), Instant.ofEpochMilli(row.readingDateMillis())) : null;
            e.held = Knowledge.replacing(e.held, reading);
            e.settled = true;
            e.learnedAt = Math.max(e.learnedAt, row.learnedAtMillis());
            if (e.onItsWay != null && e.held != null && !e.onItsWay.readingDate().isAfter(e.held.readingDate())) {
                e.onItsWay = null;   // nothing newer of this meter is on its way
            }
            touch(e);
        }
    }

    @Override
    public synchronized void dropped(List<OutboxReading> readings) {
        for (OutboxReading r : readings) {
            Entry e = entries.get(r.reading().referenceKey());
            if (e != null && e.onItsWay != null && e.onItsWay.equals(lastReading(r.reading()))) {
                e.onItsWay = null;
                touch(e);
            }
        }
    }

    /** MaintainX was read: it holds {@code reading} (null: none) for the meter, as of {@code at}. */
    public synchronized HeldReading learned(long key, LastReading reading, Instant at) {
        Entry e = entry(key);
        e.held = Knowledge.later(e.held, reading);
        e.settled = true;
        e.learnedAt = Math.max(e.learnedAt, at.toEpochMilli());
        touch(e);
        return e.held == null ? new HeldReading(key, 0, HeldReading.NO_READING, e.learnedAt)
                : new HeldReading(key, e.held.value(), e.held.readingDate().toEpochMilli(), e.learnedAt);
    }

    public synchronized Knowledge get(long key) {
        Entry e = entries.get(key);
        return e == null ? Knowledge.NONE : e.knowledge();
    }

    /** Meters this node knows anything of. */
    public synchronized int size() {
        return entries.size();
    }

    /** What changed after {@code after} (all of it for another epoch), at most {@code max} entries. */
    public synchronized Delta delta(String epochSeen, long after, int max) {
        long from = epoch.equals(epochSeen) ? after : 0;
        List<Change> changes = new ArrayList<>();
        long last = from;
        for (Map.Entry<Long, Long> next : bySeq.tailMap(from, false).entrySet()) {
            if (changes.size() >= max) {
                return new Delta(epoch, changes, last, true);
            }
            Entry e = entries.get(next.getValue());
            changes.add(new Change(e.key, e.knowledge()));
            last = next.getKey();
        }
        return new Delta(epoch, changes, Math.max(last, from), false);
    }

    private Entry entry(long key) {
        return entries.computeIfAbsent(key, Entry::new);
    }

    private void touch(Entry e) {
        if (e.seq != 0) {
            bySeq.remove(e.seq);
        }
        e.seq = ++seq;
        bySeq.put(e.seq, e.key);
    }

    static LastReading lastReading(MeterReading r) {
        return new LastReading(r.value().doubleValue(), r.readingDate().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
}
