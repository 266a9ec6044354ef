package com.plantbridge.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node end to end: a real OPC UA server over TCP (the simulated gateway), the application as
 * the jar runs it, and the MaintainX fake over real HTTP. Each test has its own tags and meters.
 */
class ReadingsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger NEXT_METER = new AtomicInteger(1000);

    private static SimulatedGateway gateway;
    private static MaintainxSandbox sandbox;

    @TempDir
    Path workDir;
    private TestNode node;

    @BeforeAll
    static void startServers() {
        gateway = SimulatedGateway.builder().name("e2e").start();
        sandbox = MaintainxSandbox.start(0).token("token-a").token("token-b").token("token-org", 77L);
    }

    @AfterAll
    static void stopServers() {
        gateway.close();
        sandbox.close();
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
        sandbox.reset();
        sandbox.unlimited();
    }

    /** A tag of its own and a meter of its own for one test. */
    private record Tag(String path, long meterId) {
    }

    /**
     * The tag's current value is a minute old and MaintainX already has it as the meter's last
     * reading, as on a running site: so every reading in these tests comes from a change.
     */
    private Tag tag(String name, Object initial) {
        Tag tag = new Tag("[default]E2E/" + name + "-" + NEXT_METER.get(), NEXT_METER.getAndIncrement());
        Instant sourceTime = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        gateway.addTag(tag.path(), initial);
        gateway.writeTag(tag.path(), initial, StatusCodes.Good, sourceTime);
        sandbox.meter(tag.meterId(), tag.path());
        if (initial instanceof Number || initial instanceof Boolean) {
            double value = initial instanceof Boolean b ? (b ? 1 : 0) : ((Number) initial).doubleValue();
            sandbox.history(tag.meterId(), value, sourceTime);
        }
        return tag;
    }

    private static String connector(String name, String token, String extra, Tag... tags) {
        StringBuilder yaml = new StringBuilder("  - name: " + name + "\n    token: " + token + "\n" + extra + "    tags:\n");
        for (Tag tag : tags) {
            yaml.append("      - path: \"").append(tag.path()).append("\"\n        meter-id: ").append(tag.meterId()).append('\n');
        }
        return yaml.toString();
    }

    private TestNode start(String connectors, Object... properties) throws Exception {
        TestNode.Builder builder = TestNode.builder(workDir)
                .settings("connectors:\n" + connectors)
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl());
        for (int i = 0; i < properties.length; i += 2) {
            builder.property((String) properties[i], properties[i + 1]);
        }
        node = builder.start();
        return node;
    }

    private void awaitSubscribed(String connector) {
        await().atMost(WAIT).until(() -> node.connectorStatus(connector).get("subscribed").asBoolean());
    }

    private void awaitSubscribed() {
        await().atMost(WAIT).until(() -> {
            var connectors = node.status().get("connectors");
            for (var c : connectors) {
                if (c.get("enabled").asBoolean() && !c.get("subscribed").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The current values are compared with what MaintainX holds: nothing waits and nothing is being read. */
    private void awaitSettled(String connector) {
        await().atMost(WAIT).until(() -> {
            var status = node.connectorStatus(connector);
            return status.get("currentValuesWaiting").asInt() == 0 && status.path("settlement").path("waiting").asInt() == 0;
        });
    }

    private static List<Double> values(Tag tag) {
        return sandbox.readings(tag.meterId()).stream().map(StoredReading::value).toList();
    }

    private static void awaitValues(Tag tag, Double... expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(values(tag)).containsExactly(expected));
    }

    @Test
    void aValueChangeBecomesOneReadingWithMeterValueAndSourceTimestamp() throws Exception {
        Tag speed = tag("Speed", 10.0);
        start(connector("line-1", "token-org", "    organization-id: 77\n", speed));
        awaitSubscribed();

        Instant sourceTime = Instant.now().minusSeconds(42).truncatedTo(ChronoUnit.MILLIS);
        gateway.writeTag(speed.path(), 12.5, StatusCodes.Good, sourceTime);

        awaitValues(speed, 12.5);
        StoredReading reading = sandbox.readings(speed.meterId()).get(0);
        assertThat(reading.readingDate()).isEqualTo(sourceTime);
        assertThat(reading.organizationId()).isEqualTo("77");
        assertThat(reading.userAgent()).startsWith("ignition-maintainx-bridge/").contains(node.status().get("node").asText());
    }

    @Test
    void integersStayIntegersAndBooleansAreOneOrZeroAlsoUnderADeadband() throws Exception {
        Tag count = tag("Count", 5);
        Tag running = tag("Running", false);
        // A server refuses a deadband filter on a boolean; the node must still monitor it.
        start(connector("line-1", "token-a", "    deadband: 0.5\n", count, running));
        awaitSubscribed();

        gateway.writeTag(count.path(), 6);
        gateway.writeTag(running.path(), true);

        awaitValues(count, 6.0);
        awaitValues(running, 1.0);
    }

    @Test
    void theSameValueTwiceIsOneReading() throws Exception {
        Tag level = tag("Level", 1.0);
        start(connector("line-1", "token-a", "", level));
        awaitSubscribed();

        gateway.writeTag(level.path(), 2.0);
        gateway.writeTag(level.path(), 2.0);
        gateway.writeTag(level.path(), 3.0);

        awaitValues(level, 2.0, 3.0);
    }

    @Test
    void changesInsideTheDeadbandAreNotSent() throws Exception {
        Tag connectorDefault = tag("Default", 10.0);
        Tag override = tag("Override", 10.0);
        String connectors = "  - name: line-1\n    token: token-a\n    deadband: 1.0\n    tags:\n"
                + "      - path: \"" + connectorDefault.path() + "\"\n        meter-id: " + connectorDefault.meterId() + "\n"
                + "      - path: \"" + override.path() + "\"\n        meter-id: " + override.meterId() + "\n        deadband: 5\n";
        start(connectors);
        awaitSubscribed();

        for (double v : new double[] {10.5, 10.9, 12.0, 12.5, 16.0}) {
            gateway.writeTag(connectorDefault.path(), v);
            gateway.writeTag(override.path(), v);
        }

        awaitValues(connectorDefault, 12.0, 16.0);
        awaitValues(override, 16.0);
    }

    @Test
    void theMinimumIntervalSendsTheLatestValueWhenTheWindowCloses() throws Exception {
        Tag flow = tag("Flow", 0.0);
        start(connector("line-1", "token-a", "    min-interval: 2s\n", flow));
        awaitSubscribed();

        for (double v = 1; v <= 5; v++) {
            gateway.writeTag(flow.path(), v);
        }

        awaitValues(flow, 1.0, 5.0);
        List<StoredReading> readings = sandbox.readings(flow.meterId());
        assertThat(Duration.between(readings.get(0).createdAt(), readings.get(1).createdAt())).isGreaterThan(Duration.ofMillis(1500));
    }

    /**
     * Every tag of a large connector may hold a window at once, and all of a gateway's connectors
     * share its executor. Camel's default thread pool profile would refuse the 1,001st waiting task
     * ("Task rejected due queue size limit reached"), and that tag's latest value was lost.
     */
    @Test
    void everyTagOfALargeConnectorKeepsItsMinimumIntervalWindow() throws Exception {
        int count = 1_500;
        Tag[] tags = new Tag[count];
        for (int i = 0; i < count; i++) {
            tags[i] = tag("Window" + i, 0.0);
        }
        start(connector("line-1", "token-a", "    min-interval: 3s\n", tags));
        awaitSubscribed();

        for (Tag tag : tags) {
            gateway.writeTag(tag.path(), 1.0);
        }
        await().atMost(WAIT).until(() -> java.util.Arrays.stream(tags).allMatch(tag -> values(tag).contains(1.0)));
        for (Tag tag : tags) {
            gateway.writeTag(tag.path(), 2.0);   // inside every tag's window: held, and sent when it closes
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(java.util.Arrays.stream(tags)
                .filter(tag -> !values(tag).equals(List.of(1.0, 2.0))).map(Tag::path).limit(5).toList())
                .as("tags whose held value did not go out when their window closed").isEmpty());
    }

    @Test
    void badAndUncertainValuesAreCountedNotSent() throws Exception {
        Tag pressure = tag("Pressure", 1.0);
        start(connector("line-1", "token-a", "", pressure));
        awaitSubscribed();

        gateway.writeTag(pressure.path(), 99.0, StatusCodes.Bad_CommunicationError, Instant.now());
        gateway.writeTag(pressure.path(), 98.0, StatusCodes.Uncertain_LastUsableValue, Instant.now());
        gateway.writeTag(pressure.path(), 2.0);

        awaitValues(pressure, 2.0);
        assertThat(node.connectorStatus("line-1").get("badQuality").get(pressure.path()).asLong()).isEqualTo(2);
    }

    @Test
    void aStringTagIsSkippedAndTheOthersKeepWorking() throws Exception {
        Tag text = tag("Text", "hello");
        Tag temp = tag("Temp", 20.0);
        start(connector("line-1", "token-a", "", text, temp));
        awaitSubscribed();

        gateway.writeTag(text.path(), "world");
        gateway.writeTag(temp.path(), 21.0);

        awaitValues(temp, 21.0);
        assertThat(values(text)).isEmpty();
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForTheBatchDelay() throws Exception {
        Tag[] tags = {tag("B1", 1.0), tag("B2", 2.0), tag("B3", 3.0), tag("B4", 4.0), tag("B5", 5.0)};
        start(connector("line-1", "token-a", "", tags), "maintainx.batch-size", 5, "maintainx.batch-delay", 600_000);
        awaitSubscribed();

        for (Tag tag : tags) {
            gateway.writeTag(tag.path(), 100.0);
        }

        await().atMost(WAIT).until(() -> sandbox.readings().size() == 5);
        assertThat(posts()).extracting(RequestRecord::readingCount).containsExactly(5);
    }

    @Test
    void aPartBatchIsSentWhenItsOldestReadingHasWaitedTheBatchDelay() throws Exception {
        Tag[] tags = {tag("P1", 1.0), tag("P2", 2.0), tag("P3", 3.0)};
        start(connector("line-1", "token-a", "", tags), "maintainx.batch-size", 100, "maintainx.batch-delay", 500);
        awaitSubscribed();

        for (Tag tag : tags) {
            gateway.writeTag(tag.path(), 100.0);
        }

        await().atMost(WAIT).until(() -> sandbox.readings().size() == 3);
        assertThat(posts()).extracting(RequestRecord::readingCount).containsExactly(3);
    }

    @Test
    void theRateLimitHeadersAreHonouredSoNoRequestGets429() throws Exception {
        sandbox.rateLimit(3, Duration.ofSeconds(2));
        Tag counter = tag("Counter", 0);
        // The node believes it may send 100 a minute; only the server's headers can keep it under 3 per 2 s.
        start(connector("line-1", "token-a", "", counter), "maintainx.batch-size", 1, "maintainx.batch-delay", 0);
        awaitSubscribed();

        for (int i = 1; i <= 8; i++) {
            gateway.writeTag(counter.path(), i);
            Thread.sleep(20);
        }

        awaitValues(counter, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0);
        assertThat(sandbox.tooManyRequestsCount()).isZero();
    }

    @Test
    void theNodesOwnLimitKeepsEveryWindowUnderTheConfiguredRequests() throws Exception {
        Tag counter = tag("Limited", 0);
        start(connector("line-1", "token-a", "", counter), "maintainx.batch-size", 1, "maintainx.batch-delay", 0,
                "maintainx.rate-limit.requests", 3, "maintainx.rate-limit.window", 2000);
        awaitSubscribed();

        for (int i = 1; i <= 8; i++) {
            gateway.writeTag(counter.path(), i);
            Thread.sleep(20);
        }

        awaitValues(counter, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0);
        List<Instant> times = sandbox.requests().stream().map(RequestRecord::time).toList();   // GETs count against the limit too
        for (Instant start : times) {
            // 1.5 s rather than 2 s: arrival times at the server jitter around the node's send times on a busy machine.
            long inWindow = times.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusMillis(1500))).count();
            assertThat(inWindow).as("requests in the 1.5 s from %s", start).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void after429TheNodeWaitsForTheResetAndDeliversOnce() throws Exception {
        Tag level = tag("Level429", 1.0);
        start(connector("line-1", "token-a", "", level));
        awaitSubscribed();
        awaitSettled("line-1");
        sandbox.rateLimit(2, Duration.ofSeconds(3));
        spendQuota("token-a", 2);   // another client on the same token uses the window up

        gateway.writeTag(level.path(), 2.0);

        awaitValues(level, 2.0);
        assertThat(sandbox.tooManyRequestsCount()).isGreaterThanOrEqualTo(1);
        assertThat(node.connectorStatus("line-1").get("tooManyRequests").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a500ThenSuccessDeliversOnce() throws Exception {
        Tag temp = tag("Temp500", 1.0);
        start(connector("line-1", "token-a", "", temp));
        awaitSubscribed();
        sandbox.failNext(1, 500);

        gateway.writeTag(temp.path(), 2.0);

        awaitValues(temp, 2.0);
        assertThat(posts()).extracting(RequestRecord::status).containsSubsequence(500, 201);
    }

    @Test
    void aDroppedConnectionIsRetriedAndDeliversOnce() throws Exception {
        Tag temp = tag("TempDrop", 1.0);
        start(connector("line-1", "token-a", "", temp));
        awaitSubscribed();
        sandbox.dropConnectionNext(1);

        gateway.writeTag(temp.path(), 2.0);

        awaitValues(temp, 2.0);
    }

    @Test
    void a400OnOneReadingQuarantinesItAndDeliversTheRest() throws Exception {
        Tag a = tag("A", 1.0);
        Tag bad = tag("Bad", 1.0);
        Tag c = tag("C", 1.0);
        start(connector("line-1", "token-a", "", a, bad, c), "maintainx.batch-delay", 1000);
        awaitSubscribed();
        sandbox.rejectWhen(r -> r.value() == 666.0, "value out of range");

        gateway.writeTag(a.path(), 2.0);
        gateway.writeTag(bad.path(), 666.0);
        gateway.writeTag(c.path(), 3.0);

        awaitValues(a, 2.0);
        awaitValues(c, 3.0);
        await().atMost(WAIT).until(() -> node.connectorStatus("line-1").get("quarantined").asInt() == 1);
        var quarantined = node.connectorStatus("line-1").get("quarantine").get(0);
        assertThat(quarantined.get("tag").asText()).isEqualTo(bad.path());
        assertThat(quarantined.get("reason").asText()).contains("400").contains("value out of range");
        assertThat(values(bad)).isEmpty();
    }

    @Test
    void a401PutsThatConnectorInErrorKeepsItsReadingsAndTheOthersContinue() throws Exception {
        sandbox.token("token-revoked");
        Tag good = tag("Good", 1.0);
        Tag refused = tag("Refused", 1.0);
        start(connector("good", "token-a", "", good) + connector("refused", "token-revoked", "", refused),
                "maintainx.auth-retry", 300);
        awaitSubscribed();
        sandbox.revoke("token-revoked");

        gateway.writeTag(refused.path(), 2.0);
        gateway.writeTag(good.path(), 2.0);

        awaitValues(good, 2.0);
        await().atMost(WAIT).until(() -> "AUTH_ERROR".equals(node.connectorStatus("refused").get("state").asText()));
        assertThat(node.status().toString()).doesNotContain("token-revoked").doesNotContain("token-a");
        await().atMost(WAIT).until(() -> node.health().statusCode() == 503);
        assertThat(node.health().body()).contains("DOWN");

        sandbox.token("token-revoked");   // the token is fixed in MaintainX: the kept reading goes out

        awaitValues(refused, 2.0);
        await().atMost(WAIT).until(() -> "OK".equals(node.connectorStatus("refused").get("state").asText()));
    }

    @Test
    void afterAnOpcUaServerRestartNewValuesAreDeliveredAndTheCurrentValueIsNotResent() throws Exception {
        Tag speed = tag("SpeedRestart", 1.0);
        start(connector("line-1", "token-a", "", speed));
        awaitSubscribed();

        gateway.stopOpcUa();
        await().atMost(WAIT).until(() -> !node.status().get("opcua").get("sessionActive").asBoolean());
        gateway.startOpcUa();
        await().atMost(Duration.ofSeconds(60)).until(() -> node.status().get("opcua").get("sessionActive").asBoolean());
        awaitSubscribed("line-1");
        gateway.writeTag(speed.path(), 2.0);

        awaitValues(speed, 2.0);
    }

    @Test
    void aBadSettingsFileStopsTheNodeWithAnErrorNamingFileAndKey() {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> start(
                "  - name: line-1\n    token: token-a\n    tags:\n      - path: \"[default]X\"\n        meter-id: -4\n"));

        assertThat(failure).hasStackTraceContaining("maintainx.yaml: connectors[0].tags[0].meter-id: must be a positive whole number, got '-4'");
        node = null;
    }

    @Test
    void aBadNodeSettingIsNamed() {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> start(
                connector("line-1", "token-a", ""), "ignition.opcua.security-policy", "Basic128"));

        assertThat(failure).hasStackTraceContaining("ignition.opcua.security-policy: must be one of [None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss], got 'Basic128'");
        node = null;
    }

    /** The readings POSTs (a node also reads GET /meters when it subscribes). */
    private static List<RequestRecord> posts() {
        return sandbox.requests().stream().filter(r -> r.method().equals("POST")).toList();
    }

    private static void spendQuota(String token, int requests) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/meterreadings"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(201);
        }
    }
}
