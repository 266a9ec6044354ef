package com.plantbridge.ops;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.GatewayNodeFixture;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jolokia on the management port, as Hawtio uses it: Camel's own basic authentication on
 * /observe/jolokia with the user and password of the node's settings, health and metrics open, and
 * the access policy (read everything, execute only the application's own operations).
 */
class JolokiaAccessTest {

    static final String PASSWORD = "jolokia-password-7e31c0d9a4";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;
    static GatewayNodeFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayNodeFixture.builder(workDir).property("bridge.management.password", PASSWORD).start();
        fixture.awaitSubscribed();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void jolokiaAnswersWithTheNodesCredentialsAndRefusesWithoutOrWithAWrongPassword() throws Exception {
        assertThat(jolokia("/version", null).statusCode()).isEqualTo(401);
        assertThat(jolokia("/version", basic("admin", "not-the-password")).statusCode()).isEqualTo(401);
        assertThat(jolokia("/version", basic("someone", PASSWORD)).statusCode()).isEqualTo(401);

        HttpResponse<String> version = jolokia("/version", basic("admin", PASSWORD));
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(version.body()).at("/value/agent").asText()).isNotEmpty();

        JsonNode route = post(read("org.apache.camel:context=" + contextName() + ",type=routes,name=\"readings-line-1\"", "State"));
        assertThat(route.path("status").asInt()).isEqualTo(200);
        assertThat(route.path("value").asText()).isEqualTo("Started");
    }

    @Test
    void healthAndMetricsStayOpenForOrchestratorsAndPrometheus() {
        assertThat(fixture.node.managementGet("/observe/health").statusCode()).isIn(200, 503);
        assertThat(fixture.node.managementGet("/observe/health/ready").statusCode()).isIn(200, 503);
        assertThat(fixture.node.managementGet("/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(fixture.node.managementGet("/observe/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void theUsersFileIsWrittenToTheDataDirOwnerOnly() throws Exception {
        Path users = fixture.node.workDir().resolve("data").resolve(ManagementUsers.FILE_NAME);
        assertThat(users).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
    }

    @Test
    void thePolicyExecutesTheApplicationsOwnOperationsOnly() throws Exception {
        String context = contextName();
        String redundancy = "org.apache.camel:context=" + context + ",type=bridge,name=redundancy";
        JsonNode disabled = post(exec(redundancy, "disable"));
        assertThat(disabled.path("status").asInt()).as("%s", disabled).isEqualTo(200);
        await().atMost(GatewayNodeFixture.WAIT).until(() -> !fixture.node.status().path("enabled").asBoolean());
        assertThat(post(exec(redundancy, "enable")).path("status").asInt()).isEqualTo(200);
        await().atMost(GatewayNodeFixture.WAIT).until(() -> fixture.node.status().path("enabled").asBoolean());

        JsonNode replayed = post(exec("org.apache.camel:context=" + context + ",type=bridge,name=sender-line-1", "replayQuarantine"));
        assertThat(replayed.path("status").asInt()).as("%s", replayed).isEqualTo(200);
        assertThat(replayed.path("value").asInt()).isZero();

        JsonNode stopRoute = post(exec("org.apache.camel:context=" + context + ",type=routes,name=\"readings-line-1\"", "stop"));
        assertThat(stopRoute.path("status").asInt()).as("%s", stopRoute).isEqualTo(403);
        assertThat(fixture.node.context().getRouteController().getRouteStatus("readings-line-1").isStarted()).isTrue();

        JsonNode write = post(JSON.createObjectNode().put("type", "write").put("mbean", "org.apache.camel:context=" + context + ",type=context,name=\"" + context + "\"")
                .put("attribute", "Tracing").put("value", true));
        assertThat(write.path("status").asInt()).as("%s", write).isEqualTo(403);

        JsonNode arguments = post(read("java.lang:type=Runtime", "InputArguments"));
        assertThat(arguments.path("status").asInt()).as("the JVM's -D options may hold a secret").isEqualTo(403);
        assertThat(post(read("java.lang:type=Runtime", "Uptime")).path("status").asInt()).isEqualTo(200);
    }

    @Test
    void noSecretIsInAnyAttributeJolokiaCanRead() throws Exception {
        HttpResponse<String> all = send(HttpRequest.newBuilder(URI.create(jolokiaUrl("/read/*:*?ignoreErrors=true")))
                .header("Authorization", basic("admin", PASSWORD)).GET().build());
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("readings-line-1");
        for (String secret : new String[] {PASSWORD, TestNode.ADMIN_TOKEN, GatewayNodeFixture.TOKEN}) {
            assertThat(all.body()).doesNotContain(secret);
        }
    }

    private static String contextName() {
        return fixture.node.context().getManagementName();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode read(String mbean, String attribute) {
        return JSON.createObjectNode().put("type", "read").put("mbean", mbean).put("attribute", attribute);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode exec(String mbean, String operation) {
        return JSON.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode post(JsonNode request) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(jolokiaUrl("")))
                .header("Authorization", basic("admin", PASSWORD)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build());
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static HttpResponse<String> jolokia(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jolokiaUrl(path))).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private static String jolokiaUrl(String path) {
        return managementUrl() + "/observe/jolokia" + path;
    }

    static String managementUrl() {
        return "http://127.0.0.1:" + fixture.node.context().getPropertiesComponent().resolveProperty("camel.management.port").orElseThrow();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return fixture.node.send(request);
    }
}
