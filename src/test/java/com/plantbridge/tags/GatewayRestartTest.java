package com.plantbridge.tags;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.testing.GatewayNodeFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's OPC UA server goes down and comes back (same port, same tags) while the node leads:
 * the session and the subscription come back without waiting out Milo's growing backoff, however
 * long the server was down, and every change made from then on reaches MaintainX once. The time
 * from "listening" to "subscribed" is logged here and measured in the benchmark.
 * {@code -Dopcua.restart.long=true} adds the 60 s outage.
 */
class GatewayRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayRestartTest.class);
    private static final int TAGS = 3;

    @TempDir
    Path workDir;
    private GatewayNodeFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static Stream<Integer> secondsDown() {
        return Boolean.getBoolean("opcua.restart.long") ? Stream.of(1, 10, 60) : Stream.of(1, 10);
    }

    @ParameterizedTest(name = "{0} s down")
    @MethodSource("secondsDown")
    void afterARestartTheSubscriptionIsBackPromptlyAndEveryLaterChangeIsDeliveredOnce(int secondsDown) throws Exception {
        fixture = GatewayNodeFixture.builder(workDir).tags(TAGS).start();
        fixture.awaitSubscribed();
        fixture.gateway.writeTag(fixture.tagPaths.get(0), 1.0);
        fixture.awaitValues(0, 1.0);

        fixture.gateway.stopOpcUa();
        await().atMost(GatewayNodeFixture.WAIT).until(() -> !fixture.node.status().get("opcua").get("sessionActive").asBoolean());
        var redundancy = fixture.node.status().get("redundancy");
        assertThat(redundancy.get("leader").asBoolean()).as("gwinfo still says Active").isTrue();
        assertThat(redundancy.get("sessionNote").asText()).startsWith("leader, OPC UA session down since");
        assertThat(fixture.connector().get("subscribed").asBoolean()).isFalse();
        fixture.gateway.writeTag(fixture.tagPaths.get(1), 2.0);   // changed while the server was down
        Thread.sleep(secondsDown * 1000L);

        fixture.gateway.startOpcUa();
        long listening = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> fixture.connector().get("subscribed").asBoolean());
        LOG.info("{} s down: session and subscription back {} ms after the server listened", secondsDown,
                (System.nanoTime() - listening) / 1_000_000);

        List<Double> written = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            double value = 10 + i;
            fixture.gateway.writeTag(fixture.tagPaths.get(i % TAGS), value);
            written.add(value);
            Thread.sleep(150);
        }
        fixture.awaitValues(0, 1.0, 10.0, 13.0);
        fixture.awaitValues(1, 2.0, 11.0, 14.0);
        fixture.awaitValues(2, 12.0, 15.0);
        assertThat(fixture.node.status().get("opcua").get("sessionDownSince").isNull()).isTrue();
        assertThat(fixture.node.status().get("redundancy").get("sessionNote").isNull()).isTrue();
    }
}
