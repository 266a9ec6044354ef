package com.plantbridge.maintainx;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.knowledge.Knowledge;
import com.plantbridge.knowledge.OwnLedger;
import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.outbox.OutboxReading;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.Secret;
import com.plantbridge.testing.BareContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed with readings waiting starts again after the peer's node took over and sent the
 * tags' current values: the same readings the outbox still holds are done, not sent twice.
 */
class RestartReconciliationTest {

    private static final ConnectorSettings LINE = new ConnectorSettings("line", true, Secret.of("t"), null, false, 0, Duration.ZERO, List.of(), List.of());
    private static final Instant T0 = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);

    @TempDir
    Path dataDir;
    private Outbox outbox;
    private DefaultCamelContext context;

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.stop();
        }
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void waitingReadingsThePeerDeliveredMeanwhileAreDoneAndTheOthersStay() throws Exception {
        outbox = new Outbox(dataDir, 1_000);
        outbox.start();
        outbox.append(List.of(new MeterReading("line", "[default]A", 1, 10.0, T0), new MeterReading("line", "[default]B", 2, 20.0, T0),
                new MeterReading("line", "[default]C", 3, 30.0, T0)), 1);
        outbox.stop();
        outbox = new Outbox(dataDir, 1_000);   // the restart
        outbox.start();

        context = BareContext.create();
        context.start();
        PairKnowledge knowledge = new PairKnowledge(context, outbox, dataDir, Duration.ofMillis(500));
        // The peer's node delivered A's reading itself, and a later one of B; C it never saw.
        knowledge.pullWith(max -> {
            knowledge.fromPeer(new OwnLedger.Delta("peer", List.of(
                    new OwnLedger.Change(1, new Knowledge(new LastReading(10.0, T0), true, null, Instant.now())),
                    new OwnLedger.Change(2, new Knowledge(new LastReading(21.0, T0.plusSeconds(5)), true, null, Instant.now()))), 2, false),
                    Instant.now(), false);
            return true;
        });
        Settlement settlement = new Settlement(context, new RateLimiters(100, 60_000), () -> null, knowledge);
        settlement.start();

        settlement.reconcile(LINE, outbox);

        assertThat(outbox.queue("line").peek(10)).extracting(OutboxReading::reading).extracting(MeterReading::tagPath)
                .containsExactly("[default]B", "[default]C");
        assertThat(knowledge.own().get(1).held()).as("A is known as held at MaintainX").isEqualTo(new LastReading(10.0, T0));
        outbox.stop();
        outbox = new Outbox(dataDir, 1_000);
        outbox.start();
        assertThat(outbox.queue("line").size()).as("done for good, across another restart").isEqualTo(2);
        settlement.stop();
    }
}
