package com.plantbridge.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.Main;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.testing.FreePort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which paths camel-main 4.17's management-server authentication covers when no
 * camel.management.authentication-path is given (later 4.x releases made "/*" the documented
 * default): measured, it already takes the server's path "/" as "/*", health and metrics included.
 * That would make an orchestrator's probe need the password, so the node configures
 * /observe/jolokia/* (JolokiaAccessTest proves it on a node). Camel alone, no bridge: Camel's own behaviour.
 */
class ManagementAuthenticationPathTest {

    private static final String PASSWORD = "path-test-password-51c9";
    private static final String[] PATHS = {"/observe/health", "/observe/health/live", "/observe/health/ready", "/observe/metrics",
            "/observe/info", "/observe/jolokia/version"};

    @TempDir
    Path workDir;

    @Test
    void withoutAnAuthenticationPathCamelAuthenticatesEveryManagementPathHealthIncluded() throws Exception {
        int port = FreePort.next();
        Main main = camelMain(port, null);
        try {
            for (String path : PATHS) {
                assertThat(get(port, path, null)).as("%s without credentials", path).isEqualTo(401);
                assertThat(get(port, path, JolokiaAccessTest.basic("admin", PASSWORD))).as("%s with credentials", path).isNotEqualTo(401);
            }
        } finally {
            main.stop();
        }
    }

    @Test
    void withTheNodesAuthenticationPathOnlyJolokiaNeedsCredentials() throws Exception {
        int port = FreePort.next();
        Main main = camelMain(port, "/observe/jolokia/*");
        try {
            for (String path : PATHS) {
                boolean jolokia = path.startsWith("/observe/jolokia");
                assertThat(get(port, path, null) == 401).as("%s without credentials refused", path).isEqualTo(jolokia);
            }
            assertThat(get(port, "/observe/jolokia/version", JolokiaAccessTest.basic("admin", PASSWORD))).isEqualTo(200);
        } finally {
            main.stop();
        }
    }

    /** Camel alone (no bridge), its management server configured only through camel.management.* as camel-main reads them. */
    private Main camelMain(int port, String authenticationPath) throws Exception {
        Path users = workDir.resolve("users-" + port + ".properties");
        Files.writeString(users, "user.admin = " + PASSWORD + ",operator\nrole.operator = *\n");
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "auth-path-" + port);
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.host", "127.0.0.1");
        main.addInitialProperty("camel.management.port", String.valueOf(port));
        main.addInitialProperty("camel.management.health-check-enabled", "true");
        main.addInitialProperty("camel.management.info-enabled", "true");
        main.addInitialProperty("camel.management.metrics-enabled", "true");
        main.addInitialProperty("camel.management.jolokia-enabled", "true");
        main.addInitialProperty("camel.management.authentication-enabled", "true");
        main.addInitialProperty("camel.management.basic-properties-file", users.toString());
        if (authenticationPath != null) {
            main.addInitialProperty("camel.management.authentication-path", authenticationPath);
        }
        main.addInitialProperty("camel.metrics.enabled", "true");
        main.addInitialProperty("camel.health.enabled", "true");
        main.start();
        return main;
    }

    private static int get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
