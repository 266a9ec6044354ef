package com.plantbridge.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.FreePort;
import com.plantbridge.testing.TlsPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product jar as a site runs it, in a child JVM configured only through its files: the
 * settings file wins over the built-in defaults, environment variables over the file, -D over
 * both; the node finds its home beside the jar, and its key store there; a bad file stops it with one line and exit code 1.
 */
class NodeJarIT {

    private static final Path JAR = Path.of(System.getProperty("bridge.jar", "target/ignition-maintainx-bridge.jar")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theProductJarHoldsNoSimulatorSandboxOrDemoClass() throws IOException {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(JAR.toFile())) {
            List<String> product = jar.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.startsWith("com/plantbridge/")).toList();
            assertThat(product).as("product classes").anyMatch(n -> n.endsWith("BridgeApplication.class"));
            assertThat(product).as("simulator, sandbox and demo classes").noneMatch(n -> n.startsWith("com/plantbridge/sim/")
                    || n.contains("Sandbox") || n.contains("Simulated") || n.contains("FaultInjector") || n.contains("Demo"));
            assertThat(jar.getEntry("demo/maintainx.yaml")).as("demo settings").isNull();
        }
    }

    @Test
    void portsAndNodeNameSetOnlyInTheSettingsFileAreUsed() throws Exception {
        int admin = FreePort.next();
        int management = FreePort.next();
        writeHome(Map.of("bridge.admin.port", admin, "camel.management.port", management, "bridge.node-name", "from-the-file"));

        start(home, Map.of(), List.of());

        JsonNode status = awaitStatus(admin);
        assertThat(status.get("node").asText()).isEqualTo("from-the-file");
        assertThat(get("http://127.0.0.1:" + management + "/observe/health").statusCode()).isIn(200, 503);
    }

    @Test
    void environmentVariableBeatsTheFileAndSystemPropertyBeatsBoth() throws Exception {
        int fromFile = FreePort.next();
        int fromEnvironment = FreePort.next();
        writeHome(Map.of("bridge.admin.port", fromFile, "bridge.node-name", "from-the-file", "camel.management.port", FreePort.next()));

        start(home, Map.of("BRIDGE_ADMIN_PORT", String.valueOf(fromEnvironment), "BRIDGE_NODE_NAME", "from-the-environment"),
                List.of("-Dbridge.node-name=from-a-system-property"));

        JsonNode status = awaitStatus(fromEnvironment);
        assertThat(status.get("node").asText()).isEqualTo("from-a-system-property");
        assertThat(reachable(fromFile)).isFalse();
    }

    @Test
    void nodeStartedFromAnotherFolderFindsItsHomeBesideTheJar(@TempDir Path elsewhere) throws Exception {
        int admin = FreePort.next();
        writeHome(Map.of("bridge.admin.port", admin, "camel.management.port", FreePort.next()));
        Files.copy(JAR, home.resolve("bridge.jar"));

        start(elsewhere, Map.of(), List.of(), home.resolve("bridge.jar"));

        assertThat(awaitStatus(admin).get("settings").get("file").asText()).isEqualTo(home.resolve("config/maintainx.yaml").toString());
    }

    @Test
    void aKeyStoreGivenRelativeToTheHomeServesHttpsWhenTheNodeStartsFromAnotherFolder(@TempDir Path elsewhere) throws Exception {
        TlsPair.Node tls = TlsPair.get().master;
        int admin = FreePort.next();
        int management = FreePort.next();
        writeHome(Map.of("bridge.admin.port", admin, "camel.management.port", management,
                "bridge.tls.key-store", "config/tls/node.p12", "bridge.tls.key-store-password", tls.keyStorePassword()));
        Files.createDirectories(home.resolve("config/tls"));
        Files.copy(tls.keyStore(), home.resolve("config/tls/node.p12"));
        Files.copy(JAR, home.resolve("bridge.jar"));

        start(elsewhere, Map.of(), List.of(), home.resolve("bridge.jar"));

        HttpClient https = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + admin + "/api/status")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        assertThat(https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + management + "/observe/health/live")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(reachable(admin)).as("plain HTTP").isFalse();
    }

    @Test
    void badSettingsFileStopsTheNodeWithOneLineNamingTheKeyAndExitCode1() throws Exception {
        writeHome(Map.of("bridge.admin.port", FreePort.next(), "camel.management.port", FreePort.next()));
        Files.writeString(home.resolve("config/maintainx.yaml"),
                "connectors:\n  - name: line-1\n    token: t\n    tags:\n      - path: \"[default]A\"\n        meter-id: -4\n");

        Process process = start(home, Map.of(), List.of());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output).contains("config/maintainx.yaml: connectors[0].tags[0].meter-id");
        assertThat(output).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void nodeWithoutAHomeSaysWhichFoldersItTriedAndExits1(@TempDir Path empty) throws Exception {
        Path jar = empty.resolve("lonely/bridge.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(JAR, jar);

        Process process = start(empty, Map.of(), List.of(), jar);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output.strip().lines()).hasSize(1);
        assertThat(output).contains("No config/ or routes/ folder in " + empty).contains("bridge.home");
    }

    /** A home as the README lays it out: the shipped routes/, a settings file, and an application.properties of its own. */
    private void writeHome(Map<String, Object> properties) throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("routes"));
        try (var routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, home.resolve("routes").resolve(route.getFileName()));
            }
        }
        Files.writeString(home.resolve("config/maintainx.yaml"),
                "connectors:\n  - name: line-1\n    token: \"${NODE_JAR_TEST_TOKEN}\"\n    tags:\n      - path: \"[default]A\"\n        meter-id: 1\n");
        StringBuilder file = new StringBuilder();
        // Nothing outside this test: closed ports for the gateway, loopback for the node's own servers.
        file.append("ignition.opcua.endpoint = opc.tcp://127.0.0.1:1\nignition.gateway.url = http://127.0.0.1:1\n");
        file.append("camel.server.host = 127.0.0.1\ncamel.management.host = 127.0.0.1\n");
        properties.forEach((k, v) -> file.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(home.resolve("config/application.properties"), file.toString());
    }

    private Process start(Path workingDir, Map<String, String> environment, List<String> jvmOptions) throws IOException {
        return start(workingDir, environment, jvmOptions, JAR);
    }

    private Process start(Path workingDir, Map<String, String> environment, List<String> jvmOptions, Path jar) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().put("NODE_JAR_TEST_TOKEN", "test-token");
        builder.environment().putAll(environment);
        builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private JsonNode awaitStatus(int adminPort) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> reachable(adminPort));
        try {
            return JSON.readTree(get("http://127.0.0.1:" + adminPort + "/api/status").body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean reachable(int port) {
        try {
            return get("http://127.0.0.1:" + port + "/api/status").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
