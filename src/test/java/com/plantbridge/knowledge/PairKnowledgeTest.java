package com.plantbridge.knowledge;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.knowledge.ReferenceReadings.Reference;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.redundancy.HandoverResult;
import com.plantbridge.redundancy.Takeovers;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.Secret;

import static org.assertj.core.api.Assertions.assertThat;

/** Which current values a node taking over decides from what the pair knows, and which wait for MaintainX. */
class PairKnowledgeTest {

    private static final ConnectorSettings LINE = new ConnectorSettings("line", true, Secret.of("t"), null, false, 0, Duration.ZERO, List.of(), List.of());
    private final Instant now = Instant.now();

    @TempDir
    Path dataDir;

    private PairKnowledge knowledge() {
        return new PairKnowledge(null, new Outbox(dataDir, 1000), dataDir, Duration.ofMillis(500));
    }

    /** The peer said it knows meter {@code key} (on its way) and everything it accepted up to {@code upTo}. */
    private static void peerSays(PairKnowledge knowledge, long key, LastReading onItsWay, Instant upTo) {
        knowledge.fromPeer(new OwnLedger.Delta("peer-epoch", List.of(new OwnLedger.Change(key, new Knowledge(null, false, onItsWay, null))), 1, false),
                upTo, false);
    }

    @Test
    void aMeterNobodyOfThePairKnowsWaitsForMaintainx() {
        PairKnowledge knowledge = knowledge();
        assertThat(knowledge.of(LINE, 42, now).settled()).isFalse();
    }

    @Test
    void aValueOfAMeterNobodyKnowsThatIsNewerThanTheOldLeadersHorizonGoesOutAtOnce() {
        PairKnowledge knowledge = knowledge();
        knowledge.pullWith(max -> true);
        knowledge.beforeLeading(new Takeovers.Takeover(HandoverResult.Outcome.GRANTED, now.minusSeconds(1), Duration.ZERO, null));

        assertThat(knowledge.of(LINE, 42, now.minusSeconds(2)).settled()).as("from before the grant: the old leader may have sent it").isFalse();
        Reference changed = knowledge.of(LINE, 42, now);
        assertThat(changed.settled()).as("changed after the grant: nobody of the pair sent it").isTrue();
        assertThat(changed.newest()).isNull();
    }

    @Test
    void aValueNoNewerThanWhatThePeerHasOnItsWayIsDecidedAtOnce() {
        PairKnowledge knowledge = knowledge();
        peerSays(knowledge, 42, new LastReading(3.0, now), null);

        Reference reference = knowledge.of(LINE, 42, now);
        assertThat(reference.settled()).isTrue();
        assertThat(reference.newest()).isEqualTo(new LastReading(3.0, now));
    }

    @Test
    void afterAGrantTheFetchedKnowledgeDecidesEveryValue() {
        PairKnowledge knowledge = knowledge();
        knowledge.own().accepted(List.of(new MeterReading("line", "[default]A", 42, 1.0, now.minusSeconds(60))));
        knowledge.pullWith(max -> {
            peerSays(knowledge, 42, new LastReading(2.0, now.minusSeconds(5)), Instant.now());
            return true;
        });

        knowledge.beforeLeading(new Takeovers.Takeover(HandoverResult.Outcome.GRANTED, Instant.now(), Duration.ZERO, null));

        Reference reference = knowledge.of(LINE, 42, now.minusSeconds(1));
        assertThat(reference.settled()).isTrue();
        assertThat(reference.newest().value()).isEqualTo(2.0);
    }

    @Test
    void withoutTheOldLeadersAnswerOnlyValuesBetweenItsLastWordAndItsHorizonWait() {
        PairKnowledge knowledge = knowledge();
        Instant lastWord = now.minusSeconds(10);
        peerSays(knowledge, 42, new LastReading(1.0, now.minusSeconds(30)), lastWord);
        // The peer last answered 8 s ago (polled every 500 ms: gone by 7 s ago); this node saw its gateway Active 3 s ago.
        knowledge.beforeLeading(new Takeovers.Takeover(HandoverResult.Outcome.UNREACHABLE, now, Duration.ofSeconds(8), now.minusSeconds(3)));

        assertThat(knowledge.horizon()).isEqualTo(now.minusSeconds(7));
        assertThat(knowledge.of(LINE, 42, now.minusSeconds(12)).settled()).as("covered by what the peer said").isTrue();
        assertThat(knowledge.of(LINE, 42, now.minusSeconds(9)).settled()).as("after its last word, before its horizon").isFalse();
        assertThat(knowledge.of(LINE, 42, now.minusSeconds(2)).settled()).as("after its horizon: nobody else captured it").isTrue();
    }

    @Test
    void theOldLeadersHorizonIsNoLaterThanWhenThisNodeFirstSawItsGatewayActive() {
        PairKnowledge knowledge = knowledge();
        peerSays(knowledge, 42, new LastReading(1.0, now.minusSeconds(30)), now.minusSeconds(10));
        // The peer's last word was 8 s ago but this node only saw it fall silent late (a slow poll): Ignition's switch bounds it.
        knowledge.beforeLeading(new Takeovers.Takeover(HandoverResult.Outcome.UNREACHABLE, now, Duration.ofSeconds(8), now.minusMillis(7_500)));

        assertThat(knowledge.horizon()).isEqualTo(now.minusMillis(7_500));
        assertThat(knowledge.of(LINE, 42, now.minusMillis(7_600)).settled()).isFalse();
        assertThat(knowledge.of(LINE, 42, now.minusMillis(7_400)).settled()).isTrue();
    }

    @Test
    void aMeterReadSinceTheTakeoverIsSettled() {
        PairKnowledge knowledge = knowledge();
        peerSays(knowledge, 42, new LastReading(1.0, now.minusSeconds(30)), now.minusSeconds(10));
        knowledge.beforeLeading(new Takeovers.Takeover(HandoverResult.Outcome.UNREACHABLE, now, Duration.ofSeconds(8), null));
        AtomicReference<Runnable> read = new AtomicReference<>();
        knowledge.settleWith((connector, key, whenRead) -> read.set(whenRead));
        AtomicReference<Boolean> told = new AtomicReference<>(false);

        knowledge.settle(LINE, 42, () -> told.set(true));
        read.get().run();

        assertThat(told.get()).isTrue();
        assertThat(knowledge.of(LINE, 42, now.minusSeconds(9)).settled()).isTrue();
    }
}
