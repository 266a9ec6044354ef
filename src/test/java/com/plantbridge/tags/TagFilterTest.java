package com.plantbridge.tags;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.plantbridge.knowledge.ReferenceReadings;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.Secret;
import com.plantbridge.settings.TagSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The per-tag rules between OPC UA values and meter readings, on a clock the test moves. */
class TagFilterTest {

    private static final TagSettings TAG = new TagSettings("[default]Line/Level", 42, null);
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong nanos = new AtomicLong();
    private final List<MeterReading> sent = new CopyOnWriteArrayList<>();
    private final KnownReadings references = new KnownReadings();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private TagFilter filter(double deadband, Duration minInterval) {
        ConnectorSettings connector = new ConnectorSettings("line", true, Secret.of("t"), null, false, deadband, minInterval, List.of(TAG), List.of());
        return new TagFilter(connector, timer, sent::add, references, nanos::get);
    }

    private static DataValue value(Object value, int secondsAfterT0) {
        return new DataValue(new Variant(value), StatusCode.GOOD, new DateTime(T0.plusSeconds(secondsAfterT0)));
    }

    private List<Object> sentValues() {
        return sent.stream().map(r -> (Object) r.value()).toList();
    }

    @Test
    void aValueEqualToTheLastSentOneIsNotSentAgain() {
        TagFilter filter = filter(0, Duration.ZERO);

        filter.onValue(TAG, value(5.0, 1));
        filter.onValue(TAG, value(5.0, 2));
        filter.onValue(TAG, value(6.0, 3));

        assertThat(sentValues()).containsExactly(5.0, 6.0);
        assertThat(sent.get(0).readingDate()).isEqualTo(T0.plusSeconds(1));
        assertThat(sent.get(0).meterId()).isEqualTo(42);
    }

    @Test
    void changesInsideTheDeadbandOfTheLastSentValueAreNotSent() {
        TagFilter filter = filter(0.5, Duration.ZERO);

        filter.onValue(TAG, value(10.0, 1));
        filter.onValue(TAG, value(10.4, 2));
        filter.onValue(TAG, value(10.6, 3));

        assertThat(sentValues()).containsExactly(10.0, 10.6);
    }

    @Test
    void integersStayIntegersAndBooleansBecomeOneOrZero() {
        TagFilter filter = filter(0, Duration.ZERO);

        filter.onValue(TAG, value(7, 1));
        filter.onValue(TAG, value(true, 2));

        assertThat(sentValues()).containsExactly(7L, 1L);
    }

    @Test
    void badQualityIsCountedNotSent() {
        TagFilter filter = filter(0, Duration.ZERO);

        filter.onValue(TAG, new DataValue(new Variant(3.0), new StatusCode(StatusCodes.Bad_CommunicationError), new DateTime(T0)));

        assertThat(sent).isEmpty();
        assertThat(filter.badQualityCounts()).containsEntry(TAG.path(), 1L);
    }

    @Test
    void aSummaryOfTheBadQualityTagsCountsThemAllAndKeepsTheFirstByPath() {
        TagFilter filter = filter(0, Duration.ZERO);
        for (String name : List.of("D", "B", "E", "A", "C")) {
            filter.onValue(new TagSettings("[default]Line/" + name, 42, null),
                    new DataValue(new Variant(3.0), new StatusCode(StatusCodes.Bad_CommunicationError), new DateTime(T0)));
        }

        TagSummary<Long> summary = filter.badQuality(2);

        assertThat(summary.total()).isEqualTo(5);
        assertThat(summary.first()).containsOnlyKeys("[default]Line/A", "[default]Line/B");
        assertThat(filter.badQualityCounts()).hasSize(5);
    }

    @Test
    void withinTheMinimumIntervalTheLatestValueIsSentWhenTheWindowCloses() {
        TagFilter filter = filter(0, Duration.ofMillis(300));

        filter.onValue(TAG, value(1.0, 1));
        filter.onValue(TAG, value(2.0, 2));
        filter.onValue(TAG, value(3.0, 3));
        assertThat(sentValues()).containsExactly(1.0);

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        assertThat(sentValues()).containsExactly(1.0, 3.0);
    }

    @Test
    void aReadingTheRouteDidNotTakeIsNotTheReferenceForTheNextValue() {
        TagFilter filter = filter(0.5, Duration.ZERO);
        filter.onValue(TAG, value(10.0, 1));

        filter.rollback(sent.get(0));
        filter.onValue(TAG, value(10.3, 2));

        assertThat(sentValues()).containsExactly(10.0, 10.3);
    }

    @Test
    void aCurrentValueMaintainxAlreadyHoldsIsNotSentButOneThatChangedIs() {
        TagFilter filter = filter(0, Duration.ZERO);
        references.known(42, new LastReading(5.0, T0));

        filter.onInitialValue(TAG, value(5.0, 0));
        filter.onValue(TAG, value(5.0, 2));
        assertThat(sent).isEmpty();

        filter.onValue(TAG, value(6.0, 3));
        assertThat(sentValues()).containsExactly(6.0);
    }

    @Test
    void aCurrentValueWaitsForItsMetersSettlementThenIsComparedWithIt() {
        TagFilter filter = filter(0, Duration.ZERO);
        references.unsettled(42);

        filter.onInitialValue(TAG, value(8.0, 5));
        assertThat(sent).isEmpty();
        references.settled(42, new LastReading(5.0, T0));

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
        assertThat(sentValues()).containsExactly(8.0);
    }

    @Test
    void aChangeSupersedesACurrentValueThatWaitsForItsSettlement() throws Exception {
        TagFilter filter = filter(0, Duration.ZERO);
        references.unsettled(42);

        filter.onInitialValue(TAG, value(8.0, 5));
        filter.onValue(TAG, value(9.0, 6));
        references.settled(42, new LastReading(5.0, T0));
        Thread.sleep(200);   // the released current value, had it been kept, would be sent by now

        assertThat(sentValues()).containsExactly(9.0);
    }

    @Test
    void theCurrentValueOfAMeterMaintainxHoldsNothingForIsSent() {
        TagFilter filter = filter(0, Duration.ZERO);
        references.known(42, null);

        filter.onInitialValue(TAG, value(7.0, 5));

        assertThat(sentValues()).containsExactly(7.0);
    }

    /** References a test states: known meters, and meters whose settlement the test completes. */
    private static final class KnownReadings implements ReferenceReadings {
        private final Map<Long, LastReading> known = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Set<Long> unknown = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final Map<Long, Runnable> waiting = new java.util.concurrent.ConcurrentHashMap<>();

        void known(long key, LastReading reading) {
            unknown.remove(key);
            if (reading != null) {
                known.put(key, reading);
            }
        }

        void unsettled(long key) {
            unknown.add(key);
        }

        void settled(long key, LastReading reading) {
            known(key, reading);
            Runnable callback = waiting.remove(key);
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public Reference of(ConnectorSettings connector, long key, Instant valueDate) {
            return unknown.contains(key) ? Reference.UNSETTLED : new Reference(true, known.get(key));
        }

        @Override
        public void settle(ConnectorSettings connector, long key, Runnable whenSettled) {
            waiting.put(key, whenSettled);
        }
    }
}
