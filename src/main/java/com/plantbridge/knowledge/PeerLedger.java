package com.plantbridge.knowledge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peer's node's knowledge of what MaintainX holds, as it last said it: each entry as the peer
 * stated it (what it holds is never moved backwards), and {@link #knownUpTo}, the moment (this
 * node's clock) before which every reading the peer accepted is in here. Kept on disk every few
 * seconds ({@link KnowledgeStore}), so that a node restarted while its peer is down still knows
 * what the peer delivered before.
 */
public final class PeerLedger {

    private final Map<Long, Knowledge> entries = new HashMap<>();
    private final Set<Long> dirty = new HashSet<>();
    private String epoch;
    private long last;
    private Instant knownUpTo;
    private boolean metaDirty;

    /** What was kept on disk. */
    public synchronized void load(Map<Long, Knowledge> stored, String storedEpoch, long storedLast, Instant storedUpTo) {
        entries.putAll(stored);
        epoch = storedEpoch;
        last = storedLast;
        knownUpTo = storedUpTo;
    }

    public synchronized String epoch() {
        return epoch;
    }

    public synchronized long last() {
        return last;
    }

    /** Every reading the peer accepted before this instant is known here; null before the first complete answer. */
    public synchronized Instant knownUpTo() {
        return knownUpTo;
    }

    public synchronized Knowledge get(long key) {
        return entries.getOrDefault(key, Knowledge.NONE);
    }

    public synchronized int size() {
        return entries.size();
    }

    /**
     * One answer of the peer. A new epoch means the peer started again: what it had on its way is
     * forgotten until its first answers state it again (its outbox still holds it), what it held stays.
     * {@code upTo} counts only when nothing more waits.
     */
    public synchronized void apply(OwnLedger.Delta delta, Instant upTo) {
        if (!delta.epoch().equals(epoch)) {
            entries.replaceAll((key, k) -> new Knowledge(k.held(), k.settled(), null, k.learnedAt()));
            dirty.addAll(entries.keySet());
            epoch = delta.epoch();
            knownUpTo = null;
        }
        for (OwnLedger.Change change : delta.changes()) {
            Knowledge before = entries.get(change.key());
            Knowledge stated = change.knowledge();
            Knowledge merged = before == null ? stated
                    : new Knowledge(Knowledge.later(before.held(), stated.held()), before.settled() || stated.settled(), stated.onItsWay(),
                    stated.learnedAt() != null ? stated.learnedAt() : before.learnedAt());
            entries.put(change.key(), merged);
            dirty.add(change.key());
        }
        last = delta.last();
        if (!delta.more() && upTo != null && (knownUpTo == null || upTo.isAfter(knownUpTo))) {
            knownUpTo = upTo;
        }
        metaDirty = true;
    }

    /** What changed since the last checkpoint, and the state to keep with it; empty when nothing did. */
    synchronized Checkpoint checkpoint() {
        if (dirty.isEmpty() && !metaDirty) {
            return null;
        }
        Map<Long, Knowledge> changed = new HashMap<>();
        for (Long key : dirty) {
            changed.put(key, entries.get(key));
        }
        dirty.clear();
        metaDirty = false;
        return new Checkpoint(changed, epoch, last, knownUpTo);
    }

    record Checkpoint(Map<Long, Knowledge> changed, String epoch, long last, Instant knownUpTo) {
    }

    /** Keys the peer has something on its way for. */
    public synchronized List<Long> onItsWay() {
        List<Long> keys = new ArrayList<>();
        entries.forEach((key, k) -> {
            if (k.onItsWay() != null) {
                keys.add(key);
            }
        });
        return keys;
    }
}
