package com.plantbridge.ops;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /api/status and the status page at the module's scale, with a third of every connector's
 * tags refused by the gateway, a third not numeric (String) and half of the rest of Bad quality.
 * Prints the sizes and times it measures (no timed assertion). {@code -Dstatus.tags-per-connector=6000}
 * runs the full 20 x 6,000.
 */
class StatusAtScaleTest {

    private static final Logger LOG = LoggerFactory.getLogger(StatusAtScaleTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECTORS = 20;
    private static final int TAGS = Integer.getInteger("status.tags-per-connector", 300);
    private static final int CALLS = 10;
    private static final List<String> CLI_CONSOLES = List.of("context", "route", "route-group", "endpoint", "health", "event", "log", "inflight",
            "blocked", "micrometer", "internal-tasks", "consumer", "producer", "variables", "transformers", "service", "platform-http", "rest",
            "receive", "main-configuration", "properties");
    private static final long FIRST_METER = 500_000;
    private static final String TAG_FOLDER = "StatusScale";
    /** Numeric tags per connector whose meter MaintainX does not have: more than status names. */
    private static final int UNKNOWN_METERS = 2 * TagLists.EXAMPLES;

    @TempDir
    Path workDir;
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private TestNode node;
    private final List<String> numericTags = new ArrayList<>();
    private final List<String> unknownMeterTags = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gateway = SimulatedGateway.builder().name("status-scale").start();
        sandbox = MaintainxSandbox.start(0);
        sandbox.unlimited();
        Instant old = Instant.now().minusSeconds(600);
        StringBuilder settings = new StringBuilder("connectors:\n");
        for (int c = 0; c < CONNECTORS; c++) {
            sandbox.token(token(c));
            settings.append("  - name: line-").append(c).append("\n    token: ").append(token(c)).append("\n    tags:\n");
            for (int t = 0; t < TAGS; t++) {
                String path = path(c, t);
                long meter = FIRST_METER + (long) c * TAGS + t;
                switch (t % 3) {
                    case 0 -> { }   // not on the gateway: refused
                    case 1 -> gateway.addTag(path, "text " + t);
                    default -> {
                        gateway.addTag(path, 0.0);
                        gateway.writeTag(path, 0.0, StatusCodes.Good, old);
                        if (t < 3 * UNKNOWN_METERS) {
                            unknownMeterTags.add(path);   // MaintainX has no such meter: refused at the first reading
                        } else {
                            sandbox.meter(meter, path).history(meter, 0.0, old);
                            numericTags.add(path);
                        }
                    }
                }
                settings.append("      - path: \"").append(path).append("\"\n        meter-id: ").append(meter).append('\n');
            }
        }
        node = TestNode.builder(workDir).settings(settings.toString())
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.rate-limit.requests", 100_000)
                .start();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        sandbox.close();
        gateway.close();
    }

    private static String token(int connector) {
        return "status-scale-" + connector;
    }

    private static String path(int connector, int tag) {
        return String.format(Locale.ROOT, "[default]" + TAG_FOLDER + "/Line%02d/Tag%05d", connector, tag);
    }

    private static int refusedPerConnector() {
        return (TAGS + 2) / 3;
    }

    private static int textPerConnector() {
        return (TAGS + 1) / 3;
    }

    private static int badPerConnector() {
        return (TAGS / 3 - UNKNOWN_METERS + 1) / 2;
    }

    private void awaitEveryConnector(java.util.function.Predicate<JsonNode> condition) {
        try {
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                for (JsonNode c : node.status().get("connectors")) {
                    if (!condition.test(c)) {
                        return false;
                    }
                }
                return true;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> behind = new ArrayList<>();
            for (JsonNode c : node.status().get("connectors")) {
                if (!condition.test(c)) {
                    behind.add(c.get("name").asText() + ": " + List.of("tagsSubscribed", "tagsRefused", "valuesReceived", "tagsNotNumeric",
                            "tagsBadQuality", "metersRefused", "pending", "inFlight", "state", "activity").stream().map(k -> k + "=" + c.get(k)).toList());
                }
            }
            throw new AssertionError("connectors not there yet: " + behind, e);
        }
    }

    @Test
    void statusAnswersWithSummariesWhateverTheNumberOfTags() throws Exception {
        awaitEveryConnector(c -> c.get("tagsRefused").asInt() + c.get("tagsSubscribed").asInt() == TAGS);
        // Seen under heavy load at 6,000 tags: a connector subscribed all its tags, those the gateway does not have included.
        List<String> exact = new ArrayList<>();
        for (JsonNode c : node.status().get("connectors")) {
            if (c.get("tagsRefused").asInt() == refusedPerConnector()) {
                exact.add(c.get("name").asText());
            } else {
                LOG.warn("{}: {} of {} tags subscribed, {} refused; {} of them are not on the gateway", c.get("name").asText(),
                        c.get("tagsSubscribed"), TAGS, c.get("tagsRefused"), refusedPerConnector());
            }
        }
        assertThat(exact).as("connectors whose refused tags are all there").isNotEmpty();
        // Changes, not the initial values: a connector's initial values did not always arrive (2 of 20 connectors at 20 x 300).
        for (int c = 0; c < CONNECTORS; c++) {
            for (int t = 1; t < TAGS; t += 3) {
                gateway.writeTag(path(c, t), "changed " + t);
            }
        }
        for (int i = 0; i < numericTags.size(); i += 2) {
            gateway.writeTag(numericTags.get(i), 1.0, StatusCodes.Bad, Instant.now());
        }
        unknownMeterTags.forEach(path -> gateway.writeTag(path, 2.0));
        awaitEveryConnector(c -> c.get("tagsNotNumeric").asInt() == textPerConnector() && c.get("tagsBadQuality").asInt() == badPerConnector()
                && c.get("metersRefused").asInt() == UNKNOWN_METERS);

        Measured status = measure("/api/status");
        Measured page = measure("/");
        Measured health = measureManagement("/observe/health?exposureLevel=full&data=true");
        LOG.info("status at {} x {} tags ({} refused, {} not numeric per connector): GET /api/status {} bytes, median {} ms, max {} ms;"
                        + " GET / {} bytes, median {} ms, max {} ms; GET /observe/health (full) {} bytes, median {} ms",
                CONNECTORS, TAGS, refusedPerConnector(), textPerConnector(), status.bytes, status.medianMillis, status.maxMillis,
                page.bytes, page.medianMillis, page.maxMillis, health.bytes, health.medianMillis);

        assertThat(status.bytes).as("GET /api/status, bytes, at any number of tags").isLessThan(CONNECTORS * 6_000);
        for (JsonNode c : node.status().get("connectors")) {
            for (String list : List.of("refused", "notNumeric", "badQuality", "refusedMeters")) {
                assertThat(c.get(list).size()).as("%s of %s", list, c.get("name")).isLessThanOrEqualTo(TagLists.EXAMPLES);
            }
        }
        String paged = exact.get(0);
        assertThat(allPages(paged, "refused")).as("the refused tags, page by page")
                .containsExactlyElementsOf(expected(Integer.parseInt(paged.substring("line-".length())), 0)).doesNotHaveDuplicates();
        assertThat(allPages("line-" + (CONNECTORS - 1), "notNumeric")).containsExactlyElementsOf(expected(CONNECTORS - 1, 1));
        assertThat(allPages("line-1", "badQuality")).hasSize(badPerConnector());
        assertThat(allPages("line-2", "refusedMeters")).containsExactlyInAnyOrderElementsOf(unknownMeterTags.subList(2 * UNKNOWN_METERS, 3 * UNKNOWN_METERS));
        // The refused-meters check names its examples twice: in its message and in its details.
        assertThat(occurrences(health.body, TAG_FOLDER)).as("tag paths in the health answer").isEqualTo(2 * CONNECTORS * TagLists.EXAMPLES);
        String consoles = cliConsoles();
        assertThat(occurrences(consoles, TAG_FOLDER)).as("tag paths in Camel's dev consoles, which the camel CLI connector writes to ~/.camel: %s",
                        consoles.lines().map(l -> l.substring(0, l.indexOf(':')) + "=" + occurrences(l, TAG_FOLDER)).toList())
                .isEqualTo(2 * CONNECTORS * TagLists.EXAMPLES);
        LOG.info("status at {} x {} tags: Camel's dev consoles (what the camel CLI connector writes every second) {} bytes", CONNECTORS, TAGS, consoles.length());
    }

    /** The tags of a connector with {@code t % 3 == kind}, in path order (0: not on the gateway, 1: text). */
    private static List<String> expected(int connector, int kind) {
        List<String> paths = new ArrayList<>();
        for (int t = kind; t < TAGS; t += 3) {
            paths.add(path(connector, t));
        }
        return paths;
    }

    /** Every entry of a connector's list, read a page at a time by following nextOffset. */
    private List<String> allPages(String connector, String list) throws Exception {
        List<String> tags = new ArrayList<>();
        int limit = Math.max(7, TAGS / 7);   // pages that do not divide the list evenly
        JsonNode page = pageAt(connector, list, 0, limit);
        while (true) {
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            page.get("items").forEach(item -> tags.add(item.get("tag").asText()));
            if (page.get("nextOffset").isNull()) {
                break;
            }
            page = pageAt(connector, list, page.get("nextOffset").asInt(), limit);
        }
        assertThat(page.get("total").asInt()).isEqualTo(tags.size());
        return tags;
    }

    private JsonNode pageAt(String connector, String list, int offset, int limit) throws Exception {
        HttpResponse<String> answer = node.send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/api/status/tags?connector=" + connector
                + "&list=" + list + "&offset=" + offset + "&limit=" + limit)).GET().build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** The JSON of each dev console the camel CLI connector writes to its status file (camel-cli-connector 4.17), as it asks for them. */
    private String cliConsoles() {
        org.apache.camel.console.DevConsoleRegistry registry = node.context().getCamelContextExtension()
                .getContextPlugin(org.apache.camel.console.DevConsoleRegistry.class);
        assertThat(registry).as("Camel's dev console registry").isNotNull();
        StringBuilder all = new StringBuilder();
        for (String id : CLI_CONSOLES) {
            org.apache.camel.console.DevConsole console = registry.resolveById(id);
            if (console != null) {
                Object json = console.call(org.apache.camel.console.DevConsole.MediaType.JSON, java.util.Map.of("exposureLevel", "full", "processors", "true"));
                all.append(id).append(": ").append(json).append('\n');
            }
        }
        assertThat(all).as("the health console").contains("health: ");
        return all.toString();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private record Measured(int bytes, long medianMillis, long maxMillis, String body) {
    }

    private Measured measure(String path) {
        return measure(URI.create(node.adminUrl() + path));
    }

    private Measured measureManagement(String path) {
        return measure(URI.create(node.adminUrl().replaceAll(":\\d+$", ":") + managementPort() + path));
    }

    private int managementPort() {
        return Integer.parseInt(node.context().getPropertiesComponent().resolveProperty("camel.management.port").orElseThrow());
    }

    private Measured measure(URI uri) {
        List<Long> millis = new ArrayList<>();
        String body = "";
        node.send(HttpRequest.newBuilder(uri).GET().build());   // warm-up
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = node.send(HttpRequest.newBuilder(uri).GET().build());
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertThat(answer.statusCode()).as(uri.toString()).isIn(200, 503);
            body = answer.body();
        }
        Collections.sort(millis);
        return new Measured(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, millis.get(millis.size() / 2),
                millis.get(millis.size() - 1), body);
    }
}
