package com.plantbridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import com.plantbridge.BridgeApplication;

/**
 * One node of the application as the jar runs it (same Main, same shipped routes/ YAML), in its own
 * working directory with its own ports, so tests can run one or two nodes in one JVM.
 */
public final class TestNode implements AutoCloseable {

    /** Every test node's bridge.admin.token unless a test sets another (or "" for none). */
    public static final String ADMIN_TOKEN = "test-admin-token-3c1f9a7e52d84b06";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;
    private final Path workDir;
    private final int adminPort;
    private final int managementPort;
    private final String adminToken;
    /** http, or https for a node with a certificate (its client then trusts the pair's CA). */
    private final String scheme;
    private final HttpClient http;

    private TestNode(Main main, Path workDir, int adminPort, int managementPort, String adminToken, Path trustedCa) {
        this.main = main;
        this.workDir = workDir;
        this.adminPort = adminPort;
        this.managementPort = managementPort;
        this.adminToken = adminToken;
        this.scheme = trustedCa == null ? "http" : "https";
        this.http = trustedCa == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(TlsPair.clientContext(trustedCa)).build();
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Path workDir() {
        return workDir;
    }

    public String adminUrl() {
        return scheme + "://127.0.0.1:" + adminPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public JsonNode status() {
        return getJson(adminUrl() + "/api/status");
    }

    public JsonNode connectorStatus(String connector) {
        for (JsonNode c : status().get("connectors")) {
            if (c.get("name").asText().equals(connector)) {
                return c;
            }
        }
        throw new AssertionError("no connector " + connector + " in status");
    }

    /** A connector's per-tag list in full (up to 1,000 entries), e.g. {@code statusList("line-1", "refused").get("items")}. */
    public JsonNode statusList(String connector, String list) {
        return getJson(adminUrl() + "/api/status/tags?connector=" + connector + "&list=" + list + "&limit=1000");
    }

    public HttpResponse<String> health() {
        return managementGet("/observe/health");
    }

    /** A GET on Camel's management server, e.g. {@code /observe/health/ready}. */
    public HttpResponse<String> managementGet(String path) {
        return send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + managementPort + path)).GET().build());
    }

    /** A state-changing admin call as an operator makes it: with the node's admin token. */
    public HttpResponse<String> post(String path) {
        return send(admin(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** PUT with the node's admin token, e.g. {@code put("/api/settings", "application/yaml", yaml)}. */
    public HttpResponse<String> put(String path, String contentType, String body) {
        return send(admin(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder admin(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminUrl() + path));
        return adminToken == null || adminToken.isEmpty() ? request : request.header("Authorization", "Bearer " + adminToken);
    }

    /** Any request, as given (e.g. an attacker's, without a token). */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private JsonNode getJson(String url) {
        try {
            return JSON.readTree(send(HttpRequest.newBuilder(URI.create(url)).GET().build()).body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final Path workDir;
        private final Map<String, String> properties = new HashMap<>();
        private String settings;
        private int adminPort = FreePort.next();
        private Path trustedCa;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        public Builder settings(String yaml) {
            this.settings = yaml;
            return this;
        }

        /** Fixed before start, so that two nodes can be told each other's admin URL. */
        public Builder adminPort(int port) {
            this.adminPort = port;
            return this;
        }

        /** The node serves HTTPS with this key and certificate (bridge.tls.*); the test client trusts the pair's CA. */
        public Builder tls(TlsPair.Node node) {
            node.properties().forEach(this::property);
            return trusting(node.caPem());
        }

        /** The node serves HTTPS (its bridge.tls.* set by the test): the test client trusts this CA only. */
        public Builder trusting(Path caPem) {
            this.trustedCa = caPem;
            return this;
        }

        public Builder property(String key, Object value) {
            properties.put(key, String.valueOf(value));
            return this;
        }

        public TestNode start() throws Exception {
            NodeWorkDir.prepare(workDir, settings);
            Map<String, String> all = NodeWorkDir.loopback(adminPort);
            String name = "node-" + adminPort;
            all.put("camel.main.name", name);
            all.put("bridge.node-name", name);
            all.put("maintainx.batch-delay", "200");
            all.put("bridge.admin.token", ADMIN_TOKEN);
            all.putAll(properties);
            Main main = BridgeApplication.createMain(workDir, all);
            try {
                main.start();
            } catch (Exception e) {
                main.stop();
                throw e;
            }
            return new TestNode(main, workDir, adminPort, Integer.parseInt(all.get("camel.management.port")), all.get("bridge.admin.token"), trustedCa);
        }
    }

}
