package com.plantbridge.peer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import com.plantbridge.knowledge.Knowledge;
import com.plantbridge.knowledge.OwnLedger;
import com.plantbridge.reading.LastReading;

/** The messages of {@code POST /api/peer/knowledge}: what a node asks for, and the signed answer. */
final class KnowledgeMessages {

    private KnowledgeMessages() {
    }

    /** Everything changed after {@code after} of epoch {@code epoch} (all of it for another epoch), at most {@code max} entries. */
    record Request(String epoch, long after, int max) {
    }

    /**
     * One meter's knowledge, compact: key, held value and date (ms), settled, on-its-way value and
     * date, learned at; absent fields are null.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(long k, Double hv, Long hd, boolean s, Double wv, Long wd, Long la) {

        static Entry of(OwnLedger.Change change) {
            Knowledge k = change.knowledge();
            return new Entry(change.key(), k.held() == null ? null : k.held().value(), k.held() == null ? null : k.held().readingDate().toEpochMilli(),
                    k.settled(), k.onItsWay() == null ? null : k.onItsWay().value(),
                    k.onItsWay() == null ? null : k.onItsWay().readingDate().toEpochMilli(), k.learnedAt() == null ? null : k.learnedAt().toEpochMilli());
        }

        OwnLedger.Change change() {
            return new OwnLedger.Change(k, new Knowledge(hd == null ? null : new LastReading(hv == null ? 0 : hv, Instant.ofEpochMilli(hd)), s,
                    wd == null ? null : new LastReading(wv == null ? 0 : wv, Instant.ofEpochMilli(wd)), la == null ? null : Instant.ofEpochMilli(la)));
        }
    }

    /**
     * The answer: the changes, the sequence number of the last, whether more remain, and {@code
     * upTo}: everything the answering node accepted before it is in this answer or an earlier one;
     * {@code capturing}: the node may still accept readings (it leads); {@code at}: its clock.
     */
    record Answer(String epoch, List<Entry> entries, long last, boolean more, long upTo, boolean capturing, long at) {

        static Answer of(OwnLedger.Delta delta, Instant upTo, boolean capturing, Instant at) {
            List<Entry> entries = new ArrayList<>(delta.changes().size());
            delta.changes().forEach(c -> entries.add(Entry.of(c)));
            return new Answer(delta.epoch(), entries, delta.last(), delta.more(), upTo.toEpochMilli(), capturing, at.toEpochMilli());
        }

        OwnLedger.Delta delta() {
            List<OwnLedger.Change> changes = new ArrayList<>(entries.size());
            entries.forEach(e -> changes.add(e.change()));
            return new OwnLedger.Delta(epoch, changes, last, more);
        }
    }
}
