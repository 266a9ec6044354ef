package com.plantbridge.maintainx;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.tags.SettingsApplier;
import com.plantbridge.testing.LogCapture;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A meter MaintainX does not know (404) is found once, remembered, named in status and health,
 * and its later readings go straight to quarantine: batches holding it are not split again.
 * The node keeps it in its data dir through restarts. A settings change of the connector or a
 * quarantine replay forgets it, through restarts too.
 */
class RefusedMeterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KNOWN_A = "[default]Refused/A";
    private static final String UNKNOWN = "[default]Refused/Unknown";
    private static final String KNOWN_B = "[default]Refused/B";

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private TestNode node;
    private double value = 1;

    @BeforeEach
    void start() throws Exception {
        gateway = SimulatedGateway.builder().name("refused").start();
        sandbox = MaintainxSandbox.start(0).token("refused-token");
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        for (String path : List.of(KNOWN_A, UNKNOWN, KNOWN_B)) {
            gateway.addTag(path, 0.0);
            gateway.writeTag(path, 0.0, StatusCodes.Good, past);
        }
        sandbox.meter(961, KNOWN_A).history(961, 0.0, past);
        sandbox.meter(963, KNOWN_B).history(963, 0.0, past);   // meter 962 does not exist in MaintainX
        node = startNode(settings(0.0));
    }

    private TestNode startNode(String settings) throws Exception {
        TestNode started = TestNode.builder(workDir).settings(settings)
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.batch-delay", 300)
                .start();
        await().atMost(WAIT).until(() -> started.connectorStatus("line-1").get("subscribed").asBoolean());
        return started;
    }

    private void restart(String settings) throws Exception {
        node.close();
        node = startNode(settings);
    }

    private Path refusedMetersFile() {
        return workDir.resolve("data/refused-meters/line-1.json");
    }

    @AfterEach
    void stop() {
        node.close();
        sandbox.close();
        gateway.close();
    }

    private static String settings(double deadband) {
        return "connectors:\n  - name: line-1\n    token: refused-token\n    deadband: " + deadband + "\n    tags:\n"
                + "      - path: \"" + KNOWN_A + "\"\n        meter-id: 961\n"
                + "      - path: \"" + UNKNOWN + "\"\n        meter-id: 962\n"
                + "      - path: \"" + KNOWN_B + "\"\n        meter-id: 963\n";
    }

    private JsonNode connector() {
        return node.connectorStatus("line-1");
    }

    private void writeRound() {
        for (String path : List.of(KNOWN_A, UNKNOWN, KNOWN_B)) {
            gateway.writeTag(path, value++);
        }
    }

    /**
     * The message of one check in Camel's health answer, or "" when that check is not failing.
     * Camel 4.17's management server escapes a '/' in a message twice ("\\/" once decoded).
     */
    private String healthMessage(String check) throws Exception {
        for (JsonNode c : new com.fasterxml.jackson.databind.ObjectMapper().readTree(node.health().body()).path("checks")) {
            if (check.equals(c.path("name").asText())) {
                return c.path("message").asText().replace("\\/", "/");
            }
        }
        return "";
    }

    /** Meter 962 is the only one MaintainX does not know: every POST that names it is answered 404. */
    private long answers404() {
        return sandbox.requests().stream().filter(r -> r.status() == 404).count();
    }

    private void awaitRefused() {
        writeRound();
        await().atMost(WAIT).until(() -> connector().get("refusedMeters").size() == 1);
    }

    @Test
    void aMeterMaintainxDoesNotKnowIsRememberedNamedAndItsReadingsGoStraightToQuarantine() {
        awaitRefused();
        JsonNode refused = connector().get("refusedMeters").get(0);
        assertThat(refused.get("meterId").asLong()).isEqualTo(962);
        assertThat(refused.get("tag").asText()).isEqualTo(UNKNOWN);
        assertThat(refused.get("reason").asText()).contains("404");
        assertThat(refused.get("since").asText()).isNotBlank();
        await().atMost(WAIT).untilAsserted(() -> assertThat(healthMessage("maintainx-refused-meters"))
                .contains("962").contains(UNKNOWN));
        assertThat(node.health().statusCode()).isEqualTo(503);
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() == 0 && connector().get("inFlight").asInt() == 0);
        long splitting = answers404();
        int quarantined = connector().get("quarantined").asInt();

        for (int round = 0; round < 5; round++) {
            writeRound();
        }

        await().atMost(WAIT).until(() -> connector().get("quarantined").asInt() == quarantined + 5);
        await().atMost(WAIT).until(() -> sandbox.readings(961).size() == 6 && sandbox.readings(963).size() == 6);
        assertThat(answers404()).as("404 answers after the meter was remembered").isEqualTo(splitting);
        assertThat(connector().get("quarantine").get(0).get("reason").asText()).startsWith("meter 962 refused by MaintainX since");
        List<RequestRecord> posts = sandbox.requests().stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(posts.get(posts.size() - 1).status()).isEqualTo(201);
    }

    @Test
    void aReplayAfterTheMeterWasCreatedForgetsItAndDeliversItsReadings() {
        awaitRefused();
        writeRound();
        await().atMost(WAIT).until(() -> connector().get("quarantined").asInt() >= 2 && connector().get("pending").asInt() == 0);
        int quarantined = connector().get("quarantined").asInt();
        sandbox.meter(962, UNKNOWN);   // the meter is made in MaintainX

        assertThat(node.post("/api/quarantine/replay?connector=line-1").body()).contains("\"replayed\":" + quarantined);

        await().atMost(WAIT).until(() -> sandbox.readings(962).size() == quarantined);
        assertThat(connector().get("refusedMeters").size()).isZero();
        assertThat(connector().get("quarantined").asInt()).isZero();
        await().atMost(WAIT).until(() -> node.health().statusCode() == 200);
        assertThat(sandbox.readings(962)).extracting(StoredReading::value).doesNotHaveDuplicates();
    }

    @Test
    void aChangeOfTheConnectorsSettingsForgetsTheRefusedMeterThroughARestartToo() throws Exception {
        awaitRefused();

        node.context().getRegistry().lookupByNameAndType("settingsApplier", SettingsApplier.class)
                .apply(new ModuleSettingsLoader().parse("maintainx.yaml", settings(0.5)));

        await().atMost(WAIT).until(() -> connector().get("refusedMeters").size() == 0);
        await().atMost(WAIT).until(() -> node.health().statusCode() == 200);
        long before = answers404();
        restart(settings(0.5));
        writeRound();
        await().atMost(WAIT).until(() -> answers404() > before);   // MaintainX is asked again
    }

    @Test
    void aRefusedMeterIsStillRefusedAfterARestartWithoutAskingMaintainxAgain() throws Exception {
        awaitRefused();
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() == 0 && connector().get("inFlight").asInt() == 0);
        String since = connector().get("refusedMeters").get(0).get("since").asText();
        assertThat(refusedMetersFile()).exists();
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(refusedMetersFile())))
                    .isEqualTo("rw-------");
        }

        restart(settings(0.0));

        JsonNode refused = connector().get("refusedMeters");
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).get("meterId").asLong()).isEqualTo(962);
        assertThat(refused.get(0).get("since").asText()).isEqualTo(since);
        await().atMost(WAIT).untilAsserted(() -> assertThat(healthMessage("maintainx-refused-meters")).contains("962").contains(UNKNOWN));
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() == 0 && connector().get("inFlight").asInt() == 0);
        long asked = answers404();
        int quarantined = connector().get("quarantined").asInt();
        int knownA = sandbox.readings(961).size();

        for (int round = 0; round < 3; round++) {
            writeRound();
        }

        await().atMost(WAIT).until(() -> connector().get("quarantined").asInt() == quarantined + 3 && sandbox.readings(961).size() == knownA + 3);
        assertThat(answers404()).as("POSTs naming meter 962 after the restart").isEqualTo(asked);
        assertThat(connector().get("quarantine").get(0).get("reason").asText()).startsWith("meter 962 refused by MaintainX since " + since);
    }

    @Test
    void aReplayForgetsTheRefusedMeterThroughARestart() throws Exception {
        awaitRefused();
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() == 0 && connector().get("inFlight").asInt() == 0);
        int quarantined = connector().get("quarantined").asInt();
        sandbox.meter(962, UNKNOWN);
        node.post("/api/quarantine/replay?connector=line-1");
        await().atMost(WAIT).until(() -> sandbox.readings(962).size() == quarantined);
        assertThat(refusedMetersFile()).doesNotExist();

        restart(settings(0.0));
        writeRound();

        assertThat(connector().get("refusedMeters").size()).isZero();
        await().atMost(WAIT).until(() -> sandbox.readings(962).size() == quarantined + 1);
        assertThat(connector().get("quarantined").asInt()).isZero();
    }

    @Test
    void aChangeOfTheConnectorsSettingsWhileTheNodeIsDownForgetsTheRefusedMeter() throws Exception {
        awaitRefused();
        long before = answers404();

        try (LogCapture logs = new LogCapture()) {
            restart(settings(0.5));
            assertThat(logs.lines(org.apache.logging.log4j.Level.INFO, "the connector's settings changed since")).hasSize(1);
        }

        writeRound();
        await().atMost(WAIT).until(() -> answers404() > before);   // MaintainX is asked again (it refuses meter 962 again)
    }

    @Test
    void aCorruptFileOfRefusedMetersIsNamedOnceAndTheNodeStartsWithoutIt() throws Exception {
        awaitRefused();
        await().atMost(WAIT).until(() -> connector().get("pending").asInt() == 0 && connector().get("inFlight").asInt() == 0);
        int quarantined = connector().get("quarantined").asInt();
        long asked = answers404();
        node.close();
        java.nio.file.Files.writeString(refusedMetersFile(), "{\"connector\": \"line-1\", \"meters\": [");

        try (LogCapture logs = new LogCapture()) {
            node = startNode(settings(0.0));

            assertThat(logs.problems()).filteredOn(l -> l.message().contains("refused-meters")).singleElement()
                    .satisfies(l -> assertThat(l.message()).contains(refusedMetersFile() + ": cannot be read (not valid JSON at line 1"));
        }
        assertThat(connector().get("quarantined").asInt()).as("quarantined readings kept").isGreaterThanOrEqualTo(quarantined);
        writeRound();
        await().atMost(WAIT).until(() -> answers404() > asked && connector().get("refusedMeters").size() == 1);   // asked again, refused again
        await().atMost(WAIT).until(() -> connector().get("refusedMetersFileProblem").isNull());   // the file is written anew
        restart(settings(0.0));
        assertThat(connector().get("refusedMeters").size()).isEqualTo(1);
    }

    @Test
    void aFileOfRefusedMetersThatCannotBeWrittenIsNamedInStatusAndTheMeterStaysRefused() throws Exception {
        node.close();
        Path directory = workDir.resolve("data/refused-meters");
        if (java.nio.file.Files.isDirectory(directory)) {
            try (var files = java.nio.file.Files.walk(directory)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(file);
                }
            }
        }
        java.nio.file.Files.writeString(directory, "not a directory");
        node = startNode(settings(0.0));

        awaitRefused();

        assertThat(connector().get("refusedMetersFileProblem").asText()).startsWith(refusedMetersFile() + ": cannot be written (")
                .contains("FileAlreadyExistsException");
        assertThat(connector().get("refusedMeters").size()).as("refused in memory").isEqualTo(1);
        long asked = answers404();
        writeRound();
        await().atMost(WAIT).until(() -> connector().get("quarantined").asInt() >= 2);
        assertThat(answers404()).isEqualTo(asked);
    }
}
