package com.plantbridge.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.GatewayNodeFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge_* meters on /observe/metrics (Prometheus), scraped as Prometheus does: every name is
 * there, and each moves with real traffic (values over OPC UA, POSTs to the MaintainX fake, a 429,
 * a refused reading, an OPC UA server restart).
 */
class MetricsTest {

    private static final Duration WAIT = GatewayNodeFixture.WAIT;
    private static final List<String> NAMES = List.of(
            "bridge_readings_received_total", "bridge_readings_passed_filter_total", "bridge_readings_accepted_total",
            "bridge_readings_delivered_total", "bridge_readings_quarantined_total", "bridge_maintainx_requests_total",
            "bridge_maintainx_too_many_requests_total", "bridge_maintainx_request_duration_seconds_count",
            "bridge_maintainx_request_duration_seconds_sum", "bridge_outbox_pending", "bridge_outbox_oldest_age_seconds",
            "bridge_leader", "bridge_leadership_changes_total", "bridge_failover_last_duration_seconds",
            "bridge_opcua_session_active", "bridge_opcua_reconnects_total", "bridge_mirror_version_lag",
            // JVM binders (camel.metrics.binders) and Camel's own route meters
            "jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_memory_allocated_bytes_total", "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds");

    @TempDir
    Path workDir;

    @Test
    void everyBridgeMeterIsPublishedAndMovesWithTraffic() throws Exception {
        try (GatewayNodeFixture fixture = GatewayNodeFixture.builder(workDir).tags(2).start()) {
            fixture.awaitSubscribed();
            String before = metrics(fixture);
            for (String name : NAMES) {
                assertThat(before).as("metric %s", name).containsPattern("(?m)^" + name + "[{ ]");
            }
            assertThat(value(before, "bridge_leader", "")).isEqualTo(1.0);
            assertThat(value(before, "bridge_opcua_session_active", "")).isEqualTo(1.0);
            assertThat(value(before, "bridge_leadership_changes_total", "")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(before, "bridge_mirror_version_lag", "")).isZero();
            double delivered = value(before, "bridge_readings_delivered_total", "connector=\"line-1\"");

            fixture.gateway.writeTag(fixture.tagPaths.get(0), 5.0);
            fixture.awaitValues(0, 5.0);
            fixture.sandbox.rejectWhen(r -> r.value() == 13.0, "value out of range");
            fixture.gateway.writeTag(fixture.tagPaths.get(1), 13.0);
            await().atMost(WAIT).until(() -> fixture.connector().path("quarantined").asLong() == 1);

            await().atMost(WAIT).untilAsserted(() -> {
                String after = metrics(fixture);
                String line1 = "connector=\"line-1\"";
                assertThat(value(after, "bridge_readings_received_total", line1)).isGreaterThanOrEqualTo(2.0);
                assertThat(value(after, "bridge_readings_passed_filter_total", line1)).isGreaterThanOrEqualTo(2.0);
                assertThat(value(after, "bridge_readings_accepted_total", line1)).isGreaterThanOrEqualTo(2.0);
                assertThat(value(after, "bridge_readings_delivered_total", line1)).isEqualTo(delivered + 1);
                assertThat(value(after, "bridge_readings_quarantined_total", line1)).isEqualTo(1.0);
                assertThat(value(after, "bridge_maintainx_requests_total", line1 + ",status=\"2xx\"")).isGreaterThanOrEqualTo(1.0);
                assertThat(value(after, "bridge_maintainx_requests_total", line1 + ",status=\"4xx\"")).isGreaterThanOrEqualTo(1.0);
                assertThat(value(after, "bridge_maintainx_request_duration_seconds_count", line1)).isGreaterThanOrEqualTo(2.0);
                assertThat(value(after, "bridge_outbox_pending", line1)).isZero();
            });

            // A 429 is counted as it comes (the retry waits for MaintainX's rate-limit reset).
            fixture.sandbox.failNext(1, 429);
            fixture.gateway.writeTag(fixture.tagPaths.get(0), 6.0);
            await().atMost(WAIT).untilAsserted(() -> {
                String after = metrics(fixture);
                assertThat(value(after, "bridge_maintainx_too_many_requests_total", "connector=\"line-1\"")).isEqualTo(1.0);
                assertThat(value(after, "bridge_outbox_pending", "connector=\"line-1\"")).isEqualTo(1.0);
            });

            fixture.gateway.stopOpcUa();
            await().atMost(WAIT).until(() -> value(metrics(fixture), "bridge_opcua_session_active", "") == 0.0);
            fixture.gateway.startOpcUa();
            await().atMost(WAIT).untilAsserted(() -> {
                String after = metrics(fixture);
                assertThat(value(after, "bridge_opcua_session_active", "")).isEqualTo(1.0);
                assertThat(value(after, "bridge_opcua_reconnects_total", "")).isEqualTo(1.0);
            });

            assertThat(fixture.node.post("/api/module/disable").statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> value(metrics(fixture), "bridge_leader", "") == 0.0);
            assertThat(fixture.node.post("/api/module/enable").statusCode()).isEqualTo(200);
            await().atMost(WAIT).untilAsserted(() -> {
                String after = metrics(fixture);
                assertThat(value(after, "bridge_leader", "")).isEqualTo(1.0);
                assertThat(value(after, "bridge_leadership_changes_total", "")).isGreaterThanOrEqualTo(3.0);
                assertThat(value(after, "bridge_failover_last_duration_seconds", "")).isGreaterThanOrEqualTo(0.0);
            });
        }
    }

    private static String metrics(GatewayNodeFixture fixture) {
        var answer = fixture.node.managementGet("/observe/metrics");
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** The value of a sample whose labels contain {@code labels} (empty: the only sample of the name). */
    static double value(String exposition, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([-0-9.eE+NaInf]+)$").matcher(exposition);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            if (labels.isEmpty() || found.contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no sample " + name + "{" + labels + "} in /observe/metrics");
    }
}
