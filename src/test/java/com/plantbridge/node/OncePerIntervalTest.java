package com.plantbridge.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OncePerIntervalTest {

    @Test
    void letsOneEventAMinuteThroughAndCountsTheOthers() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        OncePerInterval limit = new OncePerInterval(Duration.ofMinutes(1), clock);

        assertThat(limit.event()).isZero();
        for (int i = 0; i < 500; i++) {
            now.set(now.get().plusMillis(100));
            assertThat(limit.event()).isEqualTo(-1);
        }
        now.set(now.get().plusSeconds(10));
        assertThat(limit.event()).isEqualTo(500);
        assertThat(limit.event()).isEqualTo(-1);
    }
}
