package com.plantbridge.redundancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of reading the redundancy state, on an injected clock: what a failed read means and what is logged. */
class RedundancyMonitorTest {

    private static final String URL = "http://gw-a:8088/system/gwinfo";
    private final MutableClock clock = new MutableClock();
    private final RedundancyMonitor monitor = new RedundancyMonitor(RedundancySource.GWINFO, URL,
            Duration.ofMillis(500), Duration.ofMillis(3_000), clock);

    private void read(String level) {
        monitor.observe(new GatewayRedundancy("Master", level, clock.instant(), null));
    }

    private void fail(String problem) {
        monitor.observe(GatewayRedundancy.unknown(problem, clock.instant()));
    }

    @Test
    void aSingleFailedReadKeepsTheLastStateAndItsActiveStreak() {
        read("Active");
        Instant since = monitor.activeSince().orElseThrow();
        clock.advance(2_500);
        fail("gwinfo read failed: SocketTimeoutException");

        assertThat(monitor.current().isActive()).isTrue();
        assertThat(monitor.activeSince()).contains(since);
        assertThat(monitor.readFailure().orElseThrow().problem()).contains("SocketTimeoutException");
        clock.advance(500);
        read("Active");
        assertThat(monitor.readFailure()).isEmpty();
        assertThat(monitor.activeSince()).contains(since);
    }

    @Test
    void noSuccessfulReadForStaleAfterMakesTheStateUnknownNamingWhereAndTheLastError() {
        AtomicInteger changes = new AtomicInteger();
        monitor.onChange(changes::incrementAndGet);
        read("Active");
        int afterRead = changes.get();
        for (int i = 0; i < 6; i++) {
            clock.advance(500);
            fail("gwinfo answered HTTP 503");
            assertThat(changes.get()).as("leadership is told once that reads fail (the peer's view may decide now)").isEqualTo(afterRead + 1);
        }
        clock.advance(100);
        fail("gwinfo answered HTTP 503");

        GatewayRedundancy state = monitor.current();
        assertThat(state.isKnown()).isFalse();
        assertThat(state.problem()).contains(URL).contains("HTTP 503").contains("last state Active");
        assertThat(changes.get()).as("leadership is told the state went unknown").isEqualTo(afterRead + 2);
        assertThat(monitor.activeSince()).isEmpty();
    }

    @Test
    void anExplicitNonActiveAnswerCountsAtOnce() {
        read("Active");
        clock.advance(500);
        read("Cold");

        assertThat(monitor.current().isKnown()).isTrue();
        assertThat(monitor.current().isActive()).isFalse();
        assertThat(monitor.activeSince()).isEmpty();
    }

    @Test
    void aSourceThatKeepsFailingIsLoggedOnceWhenItStartsAndAtMostOnceAMinuteAfterAndOnceWhenItRecovers() {
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 2 * 60 * 2 + 1; i++) {   // two minutes of polls every 500 ms
                fail("gwinfo read failed: ConnectException Connection refused");
                clock.advance(500);
            }
            read("Active");

            var warnings = log.lines(Level.WARN, URL);
            assertThat(warnings).hasSize(3);
            assertThat(warnings.get(0).message()).contains("cannot be read from " + URL).contains("Connection refused");
            assertThat(warnings.get(1).message()).contains("still cannot be read").contains("121 failed reads");
            assertThat(log.lines(Level.INFO, "readable again from " + URL)).hasSize(1);
        }
    }

    @Test
    void aNodeThatHasNeverReadItsStateSaysSoForReadiness() {
        assertThat(monitor.readFailure().orElseThrow().problem()).contains("no answer from " + URL);
        fail("gwinfo read failed: UnknownHostException gw-a");
        assertThat(monitor.readFailure().orElseThrow().problem()).contains("UnknownHostException");
        assertThat(monitor.current().problem()).contains("UnknownHostException");
    }

    @Test
    void theGatewaySeenAgainAfterAnUnknownStateTriggersTheListenerOnce() {
        AtomicInteger seen = new AtomicInteger();
        read("Active");
        monitor.onGatewaySeenAgain(seen::incrementAndGet);
        clock.advance(5_000);
        fail("gwinfo read failed: ConnectException");

        read("Active");
        read("Active");

        assertThat(seen.get()).isEqualTo(1);
        assertThat(monitor.activeSince()).as("a new streak after an unknown state").contains(clock.instant());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T10:00:00Z");

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
