package com.plantbridge.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.milo.client.MiloClientEndpoint;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.BaseMonitoredItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredDataItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.knowledge.ReferenceReadings;
import com.plantbridge.maintainx.TakenAsSent;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.redundancy.CaptureFence;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.testing.BareContext;

/**
 * Proves, against a real OPC UA server over TCP (the simulated Ignition gateway), the two camel-milo
 * 4.17.0 / Milo 1.0.8 defects listed in docs/camel-defects.md, and that {@code ignition-tags} does not have them.
 *
 * <p>The {@code camelMilo*} tests are proof tests: they pass only while the defect exists and fail with
 * "defect not reproduced" once camel-milo is fixed (then §5 and the workaround can be revisited).
 *
 * <p>The server-side view (sampling interval, queue size and filter of each monitored item as the server
 * revised them) is read from the simulated gateway's Milo server; see {@link #serverItems()}.
 */
class MiloClientDefectsTest {

    private static final Logger LOG = LoggerFactory.getLogger(MiloClientDefectsTest.class);

    private static final String TAG = "[default]T1";
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Longer than two of camel-milo's default 1 s sampling/publishing cycles. */
    private static final Duration MILO_QUIET = Duration.ofMillis(2_500);
    /** Ten of ignition-tags' 100 ms publishing intervals. */
    private static final Duration TAGS_QUIET = Duration.ofMillis(1_000);

    @TempDir
    Path tempDir;

    private SimulatedGateway gateway;
    private CamelContext context;

    @BeforeEach
    void startGateway() {
        gateway = SimulatedGateway.builder().name("defects").httpPort(-1).start();
        gateway.addTag(TAG, 0.0);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            gateway.close();
        }
    }

    // ---------------------------------------------------------------- defect 1: sampling interval / queue / filter

    @Test
    void camelMiloSamplingIntervalIsNotApplied() throws Exception {
        startContext(miloRoute(miloUri("&samplingInterval=0")));
        MockEndpoint out = mockOut();
        await("camel-milo item on the server and initial value").atMost(WAIT).untilAsserted(() -> {
            assertThat(gateway.monitoredItemCount()).isEqualTo(1);
            assertThat(miloValues(out)).contains(0.0);
        });

        BaseMonitoredItem<?> item = serverItems().get(0);
        LOG.info("camel-milo (samplingInterval=0): server item samplingInterval={} queueSize={} filter={}",
                item.getSamplingInterval(), item.getQueueSize(), describe(filterOf(item)));

        List<Double> written = writeTenValues(101);
        await("last written value").atMost(WAIT).until(() -> miloValues(out).contains(written.get(9)));
        waitForQuiet(out, MILO_QUIET);

        List<Double> arrived = miloValues(out).stream().filter(written::contains).toList();
        LOG.info("camel-milo: {} writes 100 ms apart -> {} arrived: {}", written.size(), arrived.size(), arrived);
        if (arrived.size() == written.size()) {
            fail("camel-milo defect NOT reproduced: all %d changes 100 ms apart arrived with samplingInterval=0 "
                    + "(server item samplingInterval=%s, queueSize=%s); revisit docs/camel-defects.md",
                    written.size(), item.getSamplingInterval(), item.getQueueSize());
        }
        assertThat(arrived).as("changes delivered by camel-milo").hasSizeLessThan(written.size());
        // Why: the requested 0 never reaches the server; the item runs with Milo's client defaults.
        assertThat(item.getSamplingInterval()).as("server-side sampling interval of the camel-milo item").isEqualTo(1000.0);
        assertThat(item.getQueueSize()).as("server-side queue size of the camel-milo item").isEqualTo(1);
    }

    @Test
    void camelMiloDeadbandOptionsAreNotApplied() throws Exception {
        context = BareContext.create();
        // dataChangeFilterDeadbandType is a UInteger, which Camel cannot convert from URI text: set it on the endpoint.
        MiloClientEndpoint endpoint = context.getEndpoint(miloUri("&samplingInterval=0&monitorFilterType=dataChangeFilter"
                + "&dataChangeFilterDeadbandValue=1.0"), MiloClientEndpoint.class);
        endpoint.getMonitorFilterConfiguration().setDataChangeFilterDeadbandType(uint(DeadbandType.Absolute.getValue()));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("r").to("mock:out");
            }
        });
        context.start();
        await("camel-milo item on the server").atMost(WAIT).until(() -> gateway.monitoredItemCount() == 1);

        BaseMonitoredItem<?> item = serverItems().get(0);
        DataChangeFilter filter = filterOf(item);
        LOG.info("camel-milo (absolute deadband 1.0 requested): server item filter={}", describe(filter));
        if (filter != null && filter.getDeadbandValue() == 1.0 && filter.getDeadbandType().intValue() == 1) {
            fail("camel-milo defect NOT reproduced: the absolute deadband 1.0 reached the server; revisit docs/camel-defects.md");
        }
        assertThat(filter == null ? 0.0 : filter.getDeadbandValue()).as("server-side deadband of the camel-milo item").isZero();
    }

    @Test
    void ignitionTagsDeliversEveryChange() throws Exception {
        startIgnitionTags(0.0);
        MockEndpoint out = mockOut();
        await("ignition-tags item on the server and initial value").atMost(WAIT).untilAsserted(() -> {
            assertThat(gateway.monitoredItemCount()).isEqualTo(1);
            assertThat(readingValues(out)).containsExactly(0.0);
        });

        BaseMonitoredItem<?> item = serverItems().get(0);
        LOG.info("ignition-tags: server item samplingInterval={} queueSize={} filter={}",
                item.getSamplingInterval(), item.getQueueSize(), describe(filterOf(item)));
        assertThat(item.getSamplingInterval()).as("server-side sampling interval").isEqualTo(SubscriptionOptions.DEFAULT.samplingIntervalMs());
        assertThat(item.getQueueSize()).as("server-side queue size").isEqualTo(SubscriptionOptions.DEFAULT.queueSize());

        List<Double> written = writeTenValues(101);
        await("last written value").atMost(WAIT).until(() -> readingValues(out).contains(written.get(9)));
        waitForQuiet(out, TAGS_QUIET);

        List<Double> arrived = readingValues(out).subList(1, readingValues(out).size());
        LOG.info("ignition-tags: {} writes 100 ms apart -> {} arrived: {}", written.size(), arrived.size(), arrived);
        assertThat(arrived).as("every change, in order, once").containsExactlyElementsOf(written);
    }

    @Test
    void ignitionTagsAppliesDeadbandOnTheServer() throws Exception {
        startIgnitionTags(1.0);
        MockEndpoint out = mockOut();
        await("initial value").atMost(WAIT).untilAsserted(() -> assertThat(readingValues(out)).containsExactly(0.0));

        DataChangeFilter filter = filterOf(serverItems().get(0));
        LOG.info("ignition-tags (deadband 1.0): server item filter={}", describe(filter));
        assertThat(filter).as("server-side filter").isNotNull();
        assertThat(filter.getDeadbandType().intValue()).as("deadband type (1 = absolute)").isEqualTo(1);
        assertThat(filter.getDeadbandValue()).isEqualTo(1.0);

        for (double value : new double[] {10.0, 10.5, 10.9, 12.0}) {
            gateway.writeTag(TAG, value);
            Thread.sleep(100);
        }
        await("12.0").atMost(WAIT).until(() -> readingValues(out).contains(12.0));
        waitForQuiet(out, TAGS_QUIET);

        IgnitionTagsConsumer consumer = context.getComponent("ignition-tags", IgnitionTagsComponent.class).consumer("c1").orElseThrow();
        LOG.info("ignition-tags (deadband 1.0): readings {}, values received from the server {}", readingValues(out), consumer.valuesReceived());
        assertThat(readingValues(out)).containsExactly(0.0, 10.0, 12.0);
        // 10.5 and 10.9 were dropped by the server, not only by TagFilter.
        assertThat(consumer.valuesReceived()).as("values that crossed the network").isEqualTo(3);
    }

    // ---------------------------------------------------------------- defect 2: monitored items left behind on stop

    @Test
    void camelMiloLeavesMonitoredItemsBehind() throws Exception {
        // A second user of the same milo-client connection (here a writer route; in an app typically other
        // tag routes or a status route on the same gateway) keeps the shared session open. Without it the
        // last release closes the session and the server drops everything with it, hiding the leak.
        startContext(miloRoute(miloUri("&samplingInterval=0")), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:write").routeId("writer").to(miloUri(""));
            }
        });
        MockEndpoint out = mockOut();
        await("camel-milo item on the server and initial value").atMost(WAIT).untilAsserted(() -> {
            assertThat(gateway.monitoredItemCount()).isEqualTo(1);
            assertThat(miloValues(out)).contains(0.0);
        });

        context.getRouteController().stopRoute("r");
        // Give a (fixed) delete every chance to reach the server before concluding it did not.
        Thread.sleep(1_500);
        int afterStop = gateway.monitoredItemCount();
        LOG.info("camel-milo: monitored items on the server after stopping the route: {}", afterStop);
        if (afterStop == 0) {
            fail("camel-milo defect NOT reproduced: stopping the route deleted its monitored item; revisit docs/camel-defects.md");
        }
        assertThat(afterStop).as("items after stop").isEqualTo(1);

        context.getRouteController().startRoute("r");
        await("a second item after restart").atMost(WAIT).until(() -> gateway.monitoredItemCount() == 2);
        waitForQuiet(out, MILO_QUIET);
        out.reset();

        gateway.writeTag(TAG, 42.0);
        await("42.0").atMost(WAIT).until(() -> miloValues(out).contains(42.0));
        waitForQuiet(out, MILO_QUIET);
        long copies = miloValues(out).stream().filter(v -> v == 42.0).count();
        LOG.info("camel-milo: after one stop/start, {} items on the server; one change arrived {} times",
                gateway.monitoredItemCount(), copies);
        assertThat(copies).as("copies of one change after one stop/start").isEqualTo(2);
    }

    @Test
    void ignitionTagsDeletesItemsOnStop() throws Exception {
        startIgnitionTags(0.0);
        MockEndpoint out = mockOut();
        await("ignition-tags item on the server and initial value").atMost(WAIT).untilAsserted(() -> {
            assertThat(gateway.monitoredItemCount()).isEqualTo(1);
            assertThat(readingValues(out)).containsExactly(0.0);
        });
        GatewayConnection connection = context.getRegistry().findSingleByType(GatewayConnection.class);

        for (int cycle = 1; cycle <= 3; cycle++) {
            context.getRouteController().stopRoute("r");
            // stop() deletes on the server before returning; the session itself stays open.
            assertThat(gateway.monitoredItemCount()).as("items right after stop, cycle %d", cycle).isZero();
            assertThat(connection.isSessionActive()).as("session still open, cycle %d", cycle).isTrue();
            Thread.sleep(500);
            assertThat(gateway.monitoredItemCount()).as("items after stop, cycle %d", cycle).isZero();

            out.reset();
            context.getRouteController().startRoute("r");
            await("subscribed again, cycle " + cycle).atMost(WAIT).untilAsserted(() ->
                    assertThat(gateway.monitoredItemCount()).isEqualTo(1));
            waitForQuiet(out, TAGS_QUIET);
            // The connector's filter outlives the route: the unchanged current value is not sent again.
            assertThat(readingValues(out)).as("readings after restart %d", cycle).isEmpty();

            double value = 200.0 + cycle;
            gateway.writeTag(TAG, value);
            await("value " + value).atMost(WAIT).until(() -> readingValues(out).contains(value));
            waitForQuiet(out, TAGS_QUIET);
            long copies = readingValues(out).stream().filter(v -> v == value).count();
            LOG.info("ignition-tags: cycle {}: items on the server {}, one change arrived {} time(s)",
                    cycle, gateway.monitoredItemCount(), copies);
            assertThat(copies).as("copies of one change, cycle %d", cycle).isEqualTo(1);
            assertThat(gateway.monitoredItemCount()).as("items, cycle %d", cycle).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- helpers

    private String miloUri(String options) {
        return "milo-client:" + gateway.opcUaEndpoint()
                + "?node=RAW(nsu=" + SimulatedGateway.TAG_NAMESPACE_URI + ";s=" + TAG + ")"
                + "&allowedSecurityPolicies=None" + options;
    }

    private static RouteBuilder miloRoute(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("r").to("mock:out");
            }
        };
    }

    private void startContext(RouteBuilder... routes) throws Exception {
        context = BareContext.create();
        for (RouteBuilder route : routes) {
            context.addRoutes(route);
        }
        context.start();
    }

    private void startIgnitionTags(double deadband) throws Exception {
        context = BareContext.create();
        GatewayConnection connection = new GatewayConnection(GatewaySettings.unsecured(gateway.opcUaEndpoint(),
                SimulatedGateway.TAG_NAMESPACE_URI, "test", tempDir));
        context.getRegistry().bind("gatewayConnection", connection);
        context.addService(connection, true, true);
        String yaml = """
                connectors:
                  - name: c1
                    token: test-token
                    deadband: %s
                    tags:
                      - path: "%s"
                        meter-id: 101
                """.formatted(deadband, TAG);
        ActiveSettings settings = new ActiveSettings(tempDir.resolve("maintainx.yaml"), new ModuleSettingsLoader().parse("test", yaml));
        // A node of its own: MaintainX holds nothing yet, and this node sends what it captures.
        context.getRegistry().bind("ignition-tags", new IgnitionTagsComponent(connection, settings, ReferenceReadings.NONE,
                CaptureFence.ALWAYS));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("ignition-tags:c1").routeId("r").process(TakenAsSent.processor()).to("mock:out");
            }
        });
        context.start();
    }

    private MockEndpoint mockOut() {
        return context.getEndpoint("mock:out", MockEndpoint.class);
    }

    /** Ten distinct values, 100 ms apart. */
    private List<Double> writeTenValues(int first) throws InterruptedException {
        List<Double> written = new ArrayList<>();
        for (int i : IntStream.range(first, first + 10).toArray()) {
            double value = i;
            gateway.writeTag(TAG, value);
            written.add(value);
            Thread.sleep(100);
        }
        return written;
    }

    /** Waits until nothing new has arrived at the mock for {@code quiet}. */
    private static void waitForQuiet(MockEndpoint out, Duration quiet) {
        long[] last = {out.getReceivedCounter(), System.nanoTime()};
        await("no more exchanges for " + quiet).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int now = out.getReceivedCounter();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return System.nanoTime() - last[1] >= quiet.toNanos();
        });
    }

    private static List<Double> miloValues(MockEndpoint out) {
        List<Double> values = new ArrayList<>();
        for (Exchange exchange : List.copyOf(out.getReceivedExchanges())) {
            DataValue value = exchange.getMessage().getBody(DataValue.class);
            if (value != null && value.getValue().getValue() instanceof Number number) {
                values.add(number.doubleValue());
            }
        }
        return values;
    }

    private static List<Double> readingValues(MockEndpoint out) {
        List<Double> values = new ArrayList<>();
        for (Exchange exchange : List.copyOf(out.getReceivedExchanges())) {
            Object body = exchange.getMessage().getBody();
            // One exchange per server notification: a List of readings (or one reading on its own).
            for (Object reading : body instanceof List<?> list ? list : List.of(body)) {
                values.add(((MeterReading) reading).value().doubleValue());
            }
        }
        return values;
    }

    /** Every monitored item on the server, with the parameters the server revised and runs it with. */
    private List<BaseMonitoredItem<?>> serverItems() throws ReflectiveOperationException {
        Object opcUa = field(SimulatedGateway.class, "opcUa").get(gateway);
        OpcUaServer server = (OpcUaServer) field(opcUa.getClass(), "server").get(opcUa);
        List<BaseMonitoredItem<?>> items = new ArrayList<>();
        server.getSubscriptions().values().forEach(s -> items.addAll(s.getMonitoredItems().values()));
        return items;
    }

    private static DataChangeFilter filterOf(BaseMonitoredItem<?> item) throws ReflectiveOperationException {
        return (DataChangeFilter) field(MonitoredDataItem.class, "filter").get(item);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static String describe(DataChangeFilter filter) {
        return filter == null ? "none"
                : "DataChangeFilter(trigger=" + filter.getTrigger() + ", deadbandType=" + filter.getDeadbandType()
                + ", deadbandValue=" + filter.getDeadbandValue() + ")";
    }
}
