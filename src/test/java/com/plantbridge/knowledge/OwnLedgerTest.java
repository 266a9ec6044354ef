package com.plantbridge.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.plantbridge.outbox.HeldReading;
import com.plantbridge.outbox.OutboxReading;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;

import static org.assertj.core.api.Assertions.assertThat;

/** What this node tells its peer it knows, change by change. */
class OwnLedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final OwnLedger ledger = new OwnLedger();

    private static MeterReading reading(long meter, double value, Instant date) {
        return new MeterReading("line", "[default]T" + meter, meter, value, date);
    }

    @Test
    void aReadingAcceptedIsOnItsWayUntilItsDeliveryMakesItHeld() {
        MeterReading r = reading(7, 1.5, T0);
        ledger.accepted(List.of(r));
        assertThat(ledger.get(7).onItsWay()).isEqualTo(new LastReading(1.5, T0));
        assertThat(ledger.get(7).settled()).isFalse();

        List<HeldReading> rows = ledger.toKeep(List.of(new OutboxReading(1, r, 1, 0)));
        ledger.kept(rows);

        Knowledge known = ledger.get(7);
        assertThat(known.held()).isEqualTo(new LastReading(1.5, T0));
        assertThat(known.settled()).isTrue();
        assertThat(known.onItsWay()).as("nothing newer is on its way").isNull();
    }

    @Test
    void ofTwoReadingsInOneMillisecondTheLaterOneIsWhatMaintainxWillHoldLast() {
        ledger.accepted(List.of(reading(7, 1, T0), reading(7, 2, T0)));
        assertThat(ledger.get(7).onItsWay().value()).isEqualTo(2);

        List<HeldReading> rows = ledger.toKeep(List.of(new OutboxReading(1, reading(7, 1, T0), 1, 0), new OutboxReading(2, reading(7, 2, T0), 1, 0)));
        assertThat(rows).extracting(HeldReading::value).containsExactly(2.0);
    }

    @Test
    void aPeerFollowsTheChangesInOrderAndAPeerOfAnotherEpochGetsEverything() {
        ledger.accepted(List.of(reading(1, 1, T0), reading(2, 2, T0), reading(3, 3, T0)));
        OwnLedger.Delta first = ledger.delta(null, 0, 2);
        assertThat(first.changes()).extracting(OwnLedger.Change::key).containsExactly(1L, 2L);
        assertThat(first.more()).isTrue();

        OwnLedger.Delta rest = ledger.delta(first.epoch(), first.last(), 2);
        assertThat(rest.changes()).extracting(OwnLedger.Change::key).containsExactly(3L);
        assertThat(rest.more()).isFalse();

        ledger.accepted(List.of(reading(1, 9, T0.plusSeconds(1))));
        assertThat(ledger.delta(rest.epoch(), rest.last(), 10).changes()).extracting(OwnLedger.Change::key)
                .as("only what changed since").containsExactly(1L);
        assertThat(ledger.delta("an epoch of before a restart", rest.last(), 10).changes()).hasSize(3);
    }

    @Test
    void whatTheOutboxKeptIsKnownAgainAfterARestart() {
        ledger.load(List.of(new HeldReading(5, 4.0, T0.toEpochMilli(), T0.toEpochMilli()), new HeldReading(6, 0, HeldReading.NO_READING, 1)),
                Map.of(5L, new LastReading(5.0, T0.plusSeconds(1))));

        assertThat(ledger.get(5).newest()).isEqualTo(new LastReading(5.0, T0.plusSeconds(1)));
        assertThat(ledger.get(6).settled()).as("read: MaintainX holds no reading").isTrue();
        assertThat(ledger.get(6).held()).isNull();
        assertThat(ledger.get(8)).isEqualTo(Knowledge.NONE);
    }
}
