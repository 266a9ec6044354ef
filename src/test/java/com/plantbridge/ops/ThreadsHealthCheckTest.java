package com.plantbridge.ops;

import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The liveness check: only deadlocked threads and sender threads that died make it DOWN. */
class ThreadsHealthCheckTest {

    @Test
    void upWithoutDeadlocksOrDeadSenders() {
        assertThat(call(new ThreadsHealthCheck(() -> new long[0], List::of)).getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void downNamingTheDeadlockedThreadsCountAndTheDeadSendersConnectors() {
        HealthCheck.Result result = call(new ThreadsHealthCheck(() -> new long[] {Long.MAX_VALUE - 1, Long.MAX_VALUE - 2}, () -> List.of("line-2")));
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("2 threads deadlocked")
                .contains("sender thread ended unexpectedly for connectors line-2").contains("a restart is needed"));
    }

    @Test
    void isALivenessCheckOnly() {
        ThreadsHealthCheck check = new ThreadsHealthCheck(List::of);
        assertThat(check.isLiveness()).isTrue();
        assertThat(check.isReadiness()).isFalse();
    }

    private static HealthCheck.Result call(ThreadsHealthCheck check) {
        check.setCamelContext(new DefaultCamelContext());
        return check.call(Map.of());
    }
}
