package com.plantbridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** A node's working directory as a site lays it out (config/, the project's shipped routes/), and its loopback ports. */
final class NodeWorkDir {

    private static final Path PROJECT_ROUTES = Path.of("routes").toAbsolutePath();

    private NodeWorkDir() {
    }

    /** Creates config/ and routes/ (the shipped YAML routes), and writes config/maintainx.yaml unless null. */
    static void prepare(Path workDir, String settingsYaml) throws IOException {
        Files.createDirectories(workDir.resolve("config"));
        Files.createDirectories(workDir.resolve("routes"));
        if (settingsYaml != null) {
            Files.writeString(workDir.resolve("config/maintainx.yaml"), settingsYaml);
        }
        try (var files = Files.list(PROJECT_ROUTES)) {
            for (Path route : files.toList()) {
                Files.copy(route, workDir.resolve("routes").resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The admin API and Camel's management server on loopback, the management server on a free port. */
    static Map<String, String> loopback(int adminPort) {
        Map<String, String> ports = new HashMap<>();
        ports.put("bridge.admin.port", String.valueOf(adminPort));
        ports.put("bridge.admin.host", "127.0.0.1");
        ports.put("camel.management.port", String.valueOf(FreePort.next()));
        ports.put("camel.management.host", "127.0.0.1");
        // The CLI connector writes status files named by process id into ~/.camel: test nodes share a process.
        ports.put("bridge.cli-connector.enabled", "false");
        return ports;
    }
}
