package com.plantbridge.tags;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.BridgeApplication;
import com.plantbridge.ops.StatusReport;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.FreePort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route contract of routes/connector-readings.yaml, proved on the shipped file with the steps a
 * user would add (a mock to look at the body, a wireTap to a file, a failing step, a filter, a choice
 * to another connector), loaded by camel-main with the node's own configuration classes against a
 * real OPC UA server and the MaintainX fake.
 */
class RouteContractTest extends CamelMainTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STEPS = """
                      - to: "mock:seen"
                      - wireTap:
                          uri: "direct:audit"
                      - process:
                          ref: flakyStep
                      - filter:
                          method:
                            ref: gate
                            method: open
                          steps:
                            - choice:
                                when:
                                  - simple: "${header.BridgeTagPath} == '[default]Contract/Shared'"
                                    steps:
                                      - to: "maintainx:line-2"
                                otherwise:
                                  steps:
                                    - to: "maintainx:{{connector}}"
            """;

    /** The README's audit example: a route of its own beside the template, fed by the wireTap. */
    private static final String AUDIT_ROUTE = """
            - route:
                id: audit
                from:
                  uri: "direct:audit"
                  steps:
                    - marshal:
                        json: {}
                    - to: "file:{{audit.dir}}?fileName=${header.BridgeConnector}.json&fileExist=Append&appendChars=\\\\n"
            """;

    @TempDir
    static Path home;
    private static SimulatedGateway gateway;
    private static MaintainxSandbox sandbox;
    private static final AtomicInteger RUN = new AtomicInteger();

    private final AtomicBoolean failing = new AtomicBoolean();
    private final Gate gate = new Gate();

    @BeforeAll
    static void startServers() throws Exception {
        gateway = SimulatedGateway.builder().name("contract").start();
        sandbox = MaintainxSandbox.start(0).token("token-1").token("token-2");
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        for (String tag : List.of("Level", "Filtered", "Shared")) {
            String path = "[default]Contract/" + tag;
            long meter = meter(tag);
            gateway.addTag(path, 0.0);
            gateway.writeTag(path, 0.0, StatusCodes.Good, past);
            sandbox.meter(meter, path);
            sandbox.history(meter, 0.0, past);
        }
        Files.createDirectories(home.resolve("routes"));
        Files.createDirectories(home.resolve("config"));
        String shipped = Files.readString(Path.of("routes/connector-readings.yaml"));
        String target = "          - to: \"maintainx:{{connector}}\"\n";
        assertThat(shipped).contains(target);
        // What a user does: the shipped template with steps added where the "to" was.
        int at = shipped.lastIndexOf(target);
        Files.writeString(home.resolve("routes/connector-readings.yaml"), shipped.substring(0, at) + STEPS + shipped.substring(at + target.length())
                + AUDIT_ROUTE);
        Files.writeString(home.resolve("config/maintainx.yaml"), """
                connectors:
                  - name: line-1
                    token: token-1
                    tags:
                      - path: "[default]Contract/Level"
                        meter-id: 7001
                      - path: "[default]Contract/Filtered"
                        meter-id: 7002
                      - path: "[default]Contract/Shared"
                        meter-id: 7003
                  - name: line-2
                    token: token-2
                """);
    }

    @AfterAll
    static void stopServers() {
        gateway.close();
        sandbox.close();
    }

    private static long meter(String tag) {
        return switch (tag) {
            case "Level" -> 7001;
            case "Filtered" -> 7002;
            default -> 7003;
        };
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        BridgeApplication.CONFIGURATIONS.forEach(configuration::addConfiguration);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:bridge-defaults.properties";
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        int run = RUN.incrementAndGet();
        Properties properties = new Properties();
        properties.put("bridge.home", home.toString());
        properties.put("bridge.data-dir", home.resolve("data-" + run).toString());
        properties.put("bridge.node-name", "contract-node");
        properties.put("camel.main.routes-include-pattern", "file:" + home.resolve("routes") + "/*.yaml");
        properties.put("bridge.admin.port", String.valueOf(FreePort.next()));
        properties.put("camel.server.host", "127.0.0.1");
        properties.put("camel.management.port", String.valueOf(FreePort.next()));
        properties.put("camel.management.host", "127.0.0.1");
        properties.put("ignition.opcua.endpoint", gateway.opcUaEndpoint());
        properties.put("ignition.gateway.url", gateway.gatewayUrl());
        properties.put("maintainx.base-url", sandbox.baseUrl());
        properties.put("maintainx.batch-delay", "100");
        properties.put("audit.dir", home.resolve("audit-" + run).toString());
        context.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("flakyStep", (Processor) exchange -> {
            if (failing.get()) {
                throw new IllegalStateException("the user's step is broken");
            }
        });
        registry.bind("gate", gate);
    }

    /** A filter a user's route may have; the test opens and closes it. */
    public static final class Gate {
        private volatile boolean open = true;

        public boolean open(Exchange exchange) {
            return open;
        }
    }

    private StatusReport status() {
        return context.getRegistry().findSingleByType(StatusReport.class);
    }

    private IgnitionTagsConsumer.RouteHealth route() {
        return context.getComponent("ignition-tags", IgnitionTagsComponent.class).consumer("line-1").orElseThrow().routeHealth();
    }

    private void awaitSubscribed() {
        await().atMost(WAIT).until(() -> context.getComponent("ignition-tags", IgnitionTagsComponent.class)
                .consumer("line-1").map(IgnitionTagsConsumer::isSubscribed).orElse(false));
    }

    private static List<Double> values(long meter) {
        return sandbox.readings(meter).stream().map(StoredReading::value).toList();
    }

    @Test
    void theBodyIsAlwaysAListOfMeterReadingsWithTheConnectorHeader() throws Exception {
        awaitSubscribed();
        MockEndpoint seen = getMockEndpoint("mock:seen");
        seen.expectedMinimumMessageCount(1);

        gateway.writeTag("[default]Contract/Level", 11.0);

        seen.assertIsSatisfied(WAIT.toMillis());
        Exchange first = seen.getReceivedExchanges().get(0);
        assertThat(first.getMessage().getBody()).isInstanceOf(List.class);
        assertThat((List<?>) first.getMessage().getBody()).allMatch(MeterReading.class::isInstance);
        assertThat(first.getMessage().getHeader(IgnitionTagsConsumer.HEADER_CONNECTOR)).isEqualTo("line-1");
        await().atMost(WAIT).until(() -> values(7001).contains(11.0));
    }

    @Test
    void aWireTapToAnAuditRouteWritesTheReadingsAsJsonLines() throws Exception {
        awaitSubscribed();
        Path audit = Path.of(context.resolvePropertyPlaceholders("{{audit.dir}}")).resolve("line-1.json");

        gateway.writeTag("[default]Contract/Level", 12.0);
        await().atMost(WAIT).until(() -> Files.exists(audit) && Files.readString(audit).contains("12.0"));
        gateway.writeTag("[default]Contract/Level", 13.0);
        await().atMost(WAIT).until(() -> Files.readString(audit).contains("13.0"));

        List<String> lines = Files.readAllLines(audit);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        for (String line : lines) {
            JsonNode batch = new ObjectMapper().readTree(line);
            assertThat(batch.isArray()).isTrue();
            assertThat(batch.get(0).get("tagPath").asText()).isEqualTo("[default]Contract/Level");
            assertThat(batch.get(0).get("readingDate").asText()).endsWith("Z");
        }
    }

    @Test
    void readingsAStepFailedOnAreKeptInOrderAndDeliveredOnceTheStepWorksAgain() throws Exception {
        awaitSubscribed();
        failing.set(true);

        for (double value : new double[] {21, 22, 23}) {
            gateway.writeTag("[default]Contract/Level", value);
            Thread.sleep(300);
        }
        await().atMost(WAIT).until(() -> route().waiting() >= 1 && route().failures() >= 1);
        assertThat(values(7001)).doesNotContain(21.0, 22.0, 23.0);
        assertThat(status().build().toString()).contains("the user's step is broken");

        failing.set(false);

        await().atMost(WAIT).until(() -> values(7001).contains(23.0));
        List<Double> delivered = values(7001).stream().filter(v -> v >= 21).toList();
        assertThat(delivered).containsExactly(21.0, 22.0, 23.0);
        assertThat(route().waiting()).isZero();
    }

    @Test
    void aReadingTheRouteFiltersOutIsCountedAndNotSentAndTheNextOneIs() throws Exception {
        awaitSubscribed();
        gate.open = false;
        gateway.writeTag("[default]Contract/Filtered", 10.0);
        await().atMost(WAIT).until(() -> route().notForwarded() >= 1);

        gate.open = true;
        gateway.writeTag("[default]Contract/Filtered", 10.3);

        await().atMost(WAIT).until(() -> values(7002).contains(10.3));
        assertThat(values(7002)).doesNotContain(10.0);
    }

    @Test
    void aChoiceSendsOneTagWithAnotherConnectorsToken() throws Exception {
        awaitSubscribed();

        gateway.writeTag("[default]Contract/Shared", 31.0);

        await().atMost(WAIT).until(() -> values(7003).contains(31.0));
        assertThat(sandbox.requests()).anyMatch(r -> r.path().endsWith("/meterreadings") && "token-2".equals(r.token()) && r.status() == 201);
        assertThat(sandbox.requests()).noneMatch(r -> r.path().endsWith("/meterreadings") && "token-1".equals(r.token()) && r.readingCount() > 0
                && r.status() == 201 && values(7003).size() > 1);
    }
}
