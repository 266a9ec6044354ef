package com.plantbridge.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A node run as a separate JVM process (same classpath), killable with {@code kill -9}. */
public final class ChildNode implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final Map<String, String> properties;
    private final int adminPort;
    private final List<String> jvmArgs = new ArrayList<>();
    private Process process;

    public ChildNode(Path workDir, String settingsYaml, Map<String, String> properties) throws IOException {
        this.workDir = workDir;
        this.adminPort = FreePort.next();
        this.properties = new LinkedHashMap<>(properties);
        this.properties.putAll(NodeWorkDir.loopback(adminPort));
        NodeWorkDir.prepare(workDir, settingsYaml);
    }

    private ChildNode(Path workDir, int adminPort, Map<String, String> properties) {
        this.workDir = workDir;
        this.adminPort = adminPort;
        this.properties = new LinkedHashMap<>(properties);
    }

    /** A node whose home is laid out and whose settings are all given, ports included (a demo node's): nothing is added. */
    public static ChildNode withSettings(Path workDir, Map<String, String> properties) {
        return new ChildNode(workDir, Integer.parseInt(properties.get("bridge.admin.port")), properties);
    }

    public void start() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dsun.net.httpserver.nodelay=true");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildNodeMain.class.getName());
        command.add(workDir.toString());
        properties.forEach((k, v) -> command.add(k + "=" + v));
        File log = workDir.resolve("node.log").toFile();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    /** A setting of the child that wins over the test defaults (loopback ports, CLI connector off); before {@link #start()}. */
    public ChildNode property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** A JVM option of the child, e.g. {@code -Duser.home=...}; before {@link #start()}. */
    public ChildNode jvmArg(String option) {
        jvmArgs.add(option);
        return this;
    }

    public int adminPort() {
        return adminPort;
    }

    /** The child's process id, once started. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public JsonNode status() {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Leader, and every enabled connector subscribed. */
    public boolean isReady() {
        JsonNode status = status();
        if (status == null || !status.path("redundancy").path("leader").asBoolean()) {
            return false;
        }
        for (JsonNode c : status.path("connectors")) {
            if (c.path("enabled").asBoolean() && !c.path("subscribed").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    public String log() throws IOException {
        Path log = workDir.resolve("node.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
