package com.plantbridge;

import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.main.Main;

import com.plantbridge.ops.AdminRoutes;

/** {@code java -jar}: runs the node from the working directory's config/ and routes/. */
public final class BridgeApplication {

    private BridgeApplication() {
    }

    public static void main(String[] args) throws Exception {
        createMain(Path.of(""), Map.of()).run(args);
    }

    /**
     * The node as the jar runs it, rooted at {@code workDir}; {@code overrides} win over every
     * file (tests and the benchmark give each node its own ports and folders this way).
     */
    public static Main createMain(Path workDir, Map<String, String> overrides) {
        Path root = workDir.toAbsolutePath().normalize();
        // No classpath scanning: the node is exactly the beans and routes named here and in routes/.
        Main main = new Main();
        main.setPropertyPlaceholderLocations("classpath:bridge-defaults.properties,file:"
                + root.resolve("config/application.properties") + ";optional=true");
        main.addInitialProperty("camel.main.routes-include-pattern", "file:" + root.resolve("routes") + "/*.yaml");
        main.addInitialProperty("bridge.module-config", root.resolve("config/maintainx.yaml").toString());
        main.addInitialProperty("bridge.data-dir", root.resolve("data").toString());
        overrides.forEach(main::addOverrideProperty);
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.configure().addRoutesBuilder(new AdminRoutes());
        return main;
    }
}
