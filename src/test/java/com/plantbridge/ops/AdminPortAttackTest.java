package com.plantbridge.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.peer.PeerKeys;
import com.plantbridge.peer.PeerSignature;
import com.plantbridge.settings.Secret;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.RawHttp;
import com.plantbridge.testing.TestNode;

import static com.plantbridge.testing.PairFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outsider on the plant network attacks a running pair (admin token set on both nodes, a
 * quarantined reading on the Master's node) with raw bytes on a socket: every declared route under
 * every other spelling, undeclared paths and methods, bad peer signatures, oversized and malformed
 * bodies. Every call gets a 4xx, and nothing changes on either node: module enabled, leadership,
 * settings file, mirrored copy, settings version, quarantine. The routes come from {@link AdminApi},
 * so a route declared later is attacked the same way without a line here.
 */
class AdminPortAttackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PeerKeys RIGHT_KEYS = PeerKeys.derive(Secret.of(PairFixture.SECRET));
    private static final PeerKeys GUESSED_KEYS = PeerKeys.derive(Secret.of("an-attackers-guess-at-the-peer-secret-0000"));
    private static final byte[] EMPTY_SETTINGS = "connectors: []\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path workDir;
    static PairFixture pair;
    static Map<String, Object> before;

    @BeforeAll
    static void startAPairWithAQuarantinedReading() throws Exception {
        pair = new PairFixture(workDir, "gwinfo");
        await().atMost(WAIT).until(() -> pair.backupNode.status().at("/settings/version").asLong() == 1
                && pair.masterNode.status().at("/settings/confirmedVersion").asLong() == 1);
        pair.awaitSoleLeader(pair.masterNode);
        pair.sandbox.rejectWhen(r -> r.value() == 666.0, "value out of range");
        pair.gateways.master().writeTag(pair.tagPath, 666.0);
        await().atMost(WAIT).until(() -> pair.masterNode.connectorStatus("line-1").get("quarantined").asInt() == 1);
        before = state();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @AfterEach
    void nothingChangedOnEitherNode() throws Exception {
        Thread.sleep(1_000);   // two peer polls and a settings-file poll: time for a change to show
        assertThat(state()).isEqualTo(before);
    }

    private static List<TestNode> nodes() {
        return List.of(pair.masterNode, pair.backupNode);
    }

    /** What an attack must not change, on both nodes. */
    private static Map<String, Object> state() throws IOException {
        Map<String, Object> state = new TreeMap<>();
        for (TestNode node : nodes()) {
            JsonNode status = node.status();
            String name = status.get("node").asText();
            state.put(name + " enabled", status.get("enabled").asBoolean());
            state.put(name + " leader", status.at("/redundancy/leader").asBoolean());
            state.put(name + " settings version", status.at("/settings/version").asLong());
            state.put(name + " quarantined", node.connectorStatus("line-1").get("quarantined").asInt());
            state.put(name + " settings file", sha256(pair.settingsFile(node)));
            Path mirror = node.workDir().resolve("data/mirror");
            if (Files.isDirectory(mirror)) {
                try (Stream<Path> files = Files.list(mirror)) {
                    for (Path file : files.sorted().toList()) {
                        state.put(name + " " + file.getFileName(), sha256(file));
                    }
                }
            }
        }
        state.put("readings at MaintainX", pair.readings().size());
        return state;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RawHttp raw(TestNode node) {
        return RawHttp.plain(node.adminPort());
    }

    /** The headers that would authorize the call on its canonical path: the admin token, or a right peer signature. */
    private static Map<String, String> credentials(AdminApi.Route route, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (route.access() == AdminApi.Access.ADMIN) {
            headers.put("Authorization", "Bearer " + TestNode.ADMIN_TOKEN);
        }
        if (route.access() == AdminApi.Access.PEER) {
            headers.putAll(signed(RIGHT_KEYS, Duration.ZERO, route.method(), route.path(), body));
        }
        if (route.method().equals("PUT")) {
            headers.put("Content-Type", "application/yaml");
        }
        return headers;
    }

    private static Map<String, String> signed(PeerKeys keys, Duration clockOffset, String method, String path, byte[] body) {
        PeerSignature.SignedRequest signed = new PeerSignature(keys, PeerSignature.DEFAULT_MAX_SKEW, Clock.offset(Clock.systemUTC(), clockOffset))
                .signRequest(method, path, body);
        return Map.of(PeerSignature.TIMESTAMP_HEADER, String.valueOf(signed.timestamp()), PeerSignature.NONCE_HEADER, signed.nonce(),
                PeerSignature.SIGNATURE_HEADER, signed.signature());
    }

    private static byte[] bodyOf(AdminApi.Route route) {
        return route.method().equals("GET") ? null : EMPTY_SETTINGS;
    }

    private static long refused(TestNode node, String reason) {
        return node.status().at("/security/refusedCalls/" + reason).asLong();
    }

    @Test
    void theSpellingsOfIssue19AreRefusedWith400OnBothNodesWithOrWithoutTheToken() {
        for (TestNode node : nodes()) {
            long nonCanonical = refused(node, "nonCanonical");
            for (String target : PathSpellings.ISSUE_19) {
                for (String method : List.of("POST", "PUT")) {
                    for (Map<String, String> headers : List.of(Map.<String, String>of("Content-Type", "application/yaml"),
                            Map.of("Content-Type", "application/yaml", "Authorization", "Bearer " + TestNode.ADMIN_TOKEN))) {
                        RawHttp.Answer answer = raw(node).send(method, target, headers, EMPTY_SETTINGS);
                        assertThat(answer.status()).as("%s %s %s", method, target, headers.keySet()).isEqualTo(400);
                        assertThat(answer.text()).contains("not in canonical form");
                    }
                }
            }
            assertThat(refused(node, "nonCanonical") - nonCanonical).isEqualTo(PathSpellings.ISSUE_19.size() * 4L);
        }
    }

    @Test
    void everyDeclaredRouteUnderEveryOtherSpellingIsRefusedBeforeAnyRouteRunsWithTheRightCredentialsToo() {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> answered = new ArrayList<>();
        int sent = 0;
        for (TestNode node : nodes()) {
            for (AdminApi.Route route : AdminApi.ROUTES) {
                byte[] body = bodyOf(route);
                for (String target : PathSpellings.of(route.path())) {
                    for (boolean withCredentials : new boolean[] {false, true}) {
                        Map<String, String> headers = withCredentials ? credentials(route, body) : Map.of();
                        RawHttp.Answer answer = raw(node).send(route.method(), target, headers, body);
                        sent++;
                        statuses.merge(answer.status(), 1, Integer::sum);
                        if (answer.status() < 400 || answer.status() > 499) {
                            answered.add(route.method() + " " + RefusedCalls.printable(target) + (withCredentials ? " (credentials)" : "")
                                    + " -> " + answer.status());
                        }
                    }
                }
            }
        }
        assertThat(answered).as("spellings not refused with a 4xx (of %s sent; statuses %s)", sent, statuses).isEmpty();
        assertThat(sent).isGreaterThan(2_000);
    }

    @Test
    void theDeclarationTableIsExactlyTheRoutesEachNodeServes() {
        for (TestNode node : nodes()) {
            java.util.Set<String> served = new java.util.TreeSet<>();
            for (org.apache.camel.Endpoint endpoint : node.context().getEndpoints()) {
                if (endpoint instanceof org.apache.camel.component.platform.http.PlatformHttpEndpoint http) {
                    served.add(http.getHttpMethodRestrict() + " " + http.getPath());
                }
            }
            assertThat(served).isEqualTo(new java.util.TreeSet<>(AdminApi.ROUTES.stream().map(r -> r.method() + " " + r.path()).toList()));
        }
        assertThatThrownByUndeclared("/api/peer/something-new", "POST", "POST /api/peer/something-new is not declared");
        assertThatThrownByUndeclared("/api/status", null, "must name its method");
        assertThatThrownByUndeclared("/api/peer/{what}", "GET", "one exact path");
    }

    private static void assertThatThrownByUndeclared(String path, String method, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AdminApi.requireDeclared(path, method, false))
                .hasMessageContaining(message).hasMessageContaining(AdminApi.class.getName());
    }

    @Test
    void theCanonicalSpellingsReachTheirRoutesSoTheRefusalsAboveAreTheSpellings() {
        TestNode master = pair.masterNode;
        assertThat(raw(master).send("GET", "/api/status", Map.of(), null).status()).isEqualTo(200);
        assertThat(raw(master).send("GET", "/api/quarantine?connector=line-1", Map.of(), null).text()).contains("value out of range");
        assertThat(raw(master).send("POST", "/api/module/disable", Map.of(), new byte[0]).status()).isEqualTo(401);
        assertThat(raw(master).send("POST", "/api/rescan?connector=line-1", Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN), new byte[0])
                .text()).contains("nothing to scan");
        AdminApi.Route view = AdminApi.find("GET", "/api/peer/view").orElseThrow();
        assertThat(raw(master).send("GET", view.path(), credentials(view, null), null).status()).isEqualTo(200);
    }

    @Test
    void pathsAndMethodsThatAreNotDeclaredAreRefused() {
        for (TestNode node : nodes()) {
            assertThat(raw(node).send("POST", "/api/peer/anything", Map.of(), EMPTY_SETTINGS).status()).isEqualTo(404);
            assertThat(raw(node).send("GET", "/api/peer", Map.of(), null).status()).isEqualTo(404);
            assertThat(raw(node).send("POST", "/api/module", Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN), new byte[0]).status())
                    .isEqualTo(404);
            RawHttp.Answer get = raw(node).send("GET", "/api/module/disable", Map.of(), null);
            assertThat(get.status()).isEqualTo(405);
            assertThat(get.text()).contains("Allow: POST");
            for (String method : List.of("HEAD", "OPTIONS", "DELETE", "PATCH", "TRACE", "post", "Post")) {
                assertThat(raw(node).send(method, "/api/module/disable", Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN), new byte[0])
                        .status()).as(method).isBetween(400, 499);
            }
            assertThat(raw(node).send("POST", "/api/settings", Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN,
                    "Content-Type", "application/yaml"), EMPTY_SETTINGS).status()).isEqualTo(405);
            assertThat(raw(node).send("OPTIONS", "/api/settings", Map.of("Origin", "http://evil.example",
                    "Access-Control-Request-Method", "PUT"), null).text()).doesNotContain("Access-Control-Allow");
        }
    }

    @Test
    void everyPeerRouteRefusesMissingStaleForgedMisdirectedAndReplayedSignatures() {
        List<AdminApi.Route> peerRoutes = AdminApi.ROUTES.stream().filter(r -> r.access() == AdminApi.Access.PEER).toList();
        assertThat(peerRoutes).isNotEmpty();
        for (TestNode node : nodes()) {
            JsonNode refusedBefore = node.status().at("/redundancy/peerLink/refusedRequests");
            for (AdminApi.Route route : peerRoutes) {
                byte[] body = bodyOf(route);
                Map<String, Map<String, String>> attempts = new LinkedHashMap<>();
                attempts.put("missing", Map.of());
                attempts.put("stale", signed(RIGHT_KEYS, Duration.ofMinutes(-5), route.method(), route.path(), body));
                attempts.put("from the future", signed(RIGHT_KEYS, Duration.ofMinutes(5), route.method(), route.path(), body));
                attempts.put("forged", signed(GUESSED_KEYS, Duration.ZERO, route.method(), route.path(), body));
                attempts.put("for another path", signed(RIGHT_KEYS, Duration.ZERO, route.method(), "/api/peer/view", body));
                attempts.put("for another method", signed(RIGHT_KEYS, Duration.ZERO, route.method().equals("GET") ? "POST" : "GET", route.path(), body));
                attempts.put("for another body", signed(RIGHT_KEYS, Duration.ZERO, route.method(), route.path(), "{}".getBytes(StandardCharsets.UTF_8)));
                Map<String, String> badNonce = new LinkedHashMap<>(signed(RIGHT_KEYS, Duration.ZERO, route.method(), route.path(), body));
                badNonce.put(PeerSignature.NONCE_HEADER, "../../module/disable");
                attempts.put("a malformed nonce", badNonce);
                attempts.forEach((what, headers) -> {
                    if (what.equals("for another path") && route.path().equals("/api/peer/view")) {
                        return;
                    }
                    RawHttp.Answer answer = raw(node).send(route.method(), route.path(), headers, body);
                    assertThat(answer.status()).as("%s with a signature %s", route, what).isEqualTo(401);
                    assertThat(answer.text()).as("a refusal says which protocol it speaks").contains(PeerSignature.PROTOCOL_HEADER);
                });
            }
            AdminApi.Route view = AdminApi.find("GET", "/api/peer/view").orElseThrow();
            Map<String, String> genuine = signed(RIGHT_KEYS, Duration.ZERO, view.method(), view.path(), null);
            assertThat(raw(node).send(view.method(), view.path(), genuine, null).status()).as("a captured genuine request").isEqualTo(200);
            assertThat(raw(node).send(view.method(), view.path(), genuine, null).status()).as("the same, replayed").isEqualTo(401);
            JsonNode refusedAfter = node.status().at("/redundancy/peerLink/refusedRequests");
            assertThat(refusedAfter.get("replayed").asLong() - refusedBefore.get("replayed").asLong()).isEqualTo(1);
            assertThat(refusedAfter.get("total").asLong() - refusedBefore.get("total").asLong()).isEqualTo(peerRoutes.size() * 8L - 1 + 1);
        }
    }

    @Test
    void aBodyOverItsRoutesLimitGets413BeforeAnyRouteRuns() {
        for (TestNode node : nodes()) {
            long tooLarge = refused(node, "bodyTooLarge");
            Map<String, String> admin = Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN, "Content-Type", "application/yaml");
            Map<String, String> declared = new LinkedHashMap<>(admin);
            declared.put("Content-Length", String.valueOf(AdminApi.SETTINGS_BODY + 1));
            assertThat(raw(node).send(RawHttp.request("PUT", "/api/settings", declared, null)).status()).as("settings, declared too long")
                    .isEqualTo(413);
            assertThat(raw(node).sendChunked("POST", "/api/module/disable", Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN),
                    AdminApi.SMALL_BODY * 4).status()).as("disable with a body in chunks over its limit").isEqualTo(413);
            assertThat(raw(node).sendChunked("GET", "/api/status", Map.of(), AdminApi.SMALL_BODY * 4).status()).as("a read with a big body")
                    .isEqualTo(413);
            AdminApi.Route settings = AdminApi.find("POST", "/api/peer/settings").orElseThrow();
            assertThat(raw(node).sendChunked(settings.method(), settings.path(), signed(GUESSED_KEYS, Duration.ZERO, "POST", settings.path(), null),
                    AdminApi.SMALL_BODY * 4).status()).as("a forged peer push in chunks is read, then refused").isEqualTo(401);
            assertThat(refused(node, "bodyTooLarge") - tooLarge).isEqualTo(3);
        }
    }

    @Test
    void malformedYamlAndJsonGet400NamingTheLineAndChangeNothing() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + TestNode.ADMIN_TOKEN, "Content-Type", "application/yaml");
        RawHttp.Answer yaml = raw(pair.masterNode).send("PUT", "/api/settings", admin,
                "connectors:\n  - name: line-1\n    token: [unclosed\n".getBytes(StandardCharsets.UTF_8));
        assertThat(yaml.status()).isEqualTo(400);
        assertThat(yaml.text()).contains("not valid YAML at line ").doesNotContain(pair.masterNode.workDir().toString()).doesNotContain("unclosed");

        for (String path : List.of("/api/peer/settings", "/api/peer/handover", "/api/peer/knowledge")) {
            byte[] broken = "{\n  \"version\": 7,\n  \"sealed\": \n}".getBytes(StandardCharsets.UTF_8);
            RawHttp.Answer json = raw(pair.backupNode).send("POST", path, signed(RIGHT_KEYS, Duration.ZERO, "POST", path, broken), broken);
            assertThat(json.status()).as(path).isEqualTo(400);
            assertThat(json.text()).as(path).contains("not readable JSON at line 4");
        }
    }

    @Test
    void refusedCallsAreCountedPerReasonInStatusAndMetricsWithoutAnAbsolutePathOrSecretInAnyAnswer() throws Exception {
        for (TestNode node : nodes()) {
            RawHttp.Answer unknown = raw(node).send("GET", "/api/quarantine?connector=nope", Map.of(), null);
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.text()).doesNotContain(node.workDir().toString()).doesNotContain("/tmp");
            raw(node).send("POST", "/api/module/disable", Map.of("Authorization", "Bearer guessed"), new byte[0]);
            JsonNode counts = node.status().at("/security/refusedCalls");
            for (RefusedCalls.Reason reason : RefusedCalls.Reason.values()) {
                assertThat(counts.has(reason.key())).as(reason.key()).isTrue();
            }
            assertThat(counts.get("tokenWrong").asLong()).isPositive();
            String metrics = node.managementGet("/observe/metrics").body();
            assertThat(metrics).contains("bridge_admin_refused_calls_total{reason=\"tokenWrong\"}")
                    .contains("bridge_admin_refused_calls_total{reason=\"nonCanonical\"}");
        }
    }

    @Test
    void jolokiaUnderOtherSpellingsStillNeedsItsPassword() {
        for (TestNode node : nodes()) {
            RawHttp management = RawHttp.plain(node.managementPort());
            for (String target : PathSpellings.of("/observe/jolokia/version")) {
                RawHttp.Answer answer = management.send("GET", target, Map.of(), null);
                assertThat(answer.text()).as(RefusedCalls.printable(target)).doesNotContain("\"agent\"");
            }
        }
    }
}
