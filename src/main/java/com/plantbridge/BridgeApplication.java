package com.plantbridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.main.Main;

import com.plantbridge.knowledge.KnowledgeConfiguration;
import com.plantbridge.maintainx.MaintainxConfiguration;
import com.plantbridge.mirror.PairConfiguration;
import com.plantbridge.node.EnvironmentSettings;
import com.plantbridge.node.NodeHome;
import com.plantbridge.ops.NodeConfiguration;
import com.plantbridge.ops.NodeHttpServerFactory;
import com.plantbridge.ops.ObservabilityConfiguration;
import com.plantbridge.ops.OpsConfiguration;
import com.plantbridge.outbox.OutboxConfiguration;
import com.plantbridge.redundancy.LeadershipConfiguration;
import com.plantbridge.redundancy.RedundancyConfiguration;
import com.plantbridge.settings.SettingsConfiguration;
import com.plantbridge.settings.StartupFailure;
import com.plantbridge.tags.GatewayConfiguration;
import com.plantbridge.tags.TagsConfiguration;

/** {@code java -jar}: runs the node from its home folder's config/ and routes/. */
public final class BridgeApplication {

    /** The node's capabilities, in dependency order: each one's beans are bound before the next one's need them. */
    public static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(
            NodeConfiguration.class,
            SettingsConfiguration.class,
            GatewayConfiguration.class,
            RedundancyConfiguration.class,
            OutboxConfiguration.class,
            KnowledgeConfiguration.class,
            MaintainxConfiguration.class,
            TagsConfiguration.class,
            PairConfiguration.class,
            LeadershipConfiguration.class,
            OpsConfiguration.class,
            // Metrics, MBeans, management-server authentication, CLI connector: reads every capability above.
            ObservabilityConfiguration.class);

    private BridgeApplication() {
    }

    public static void main(String[] args) {
        Main main;
        try {
            String configured = System.getProperty(NodeHome.PROPERTY, System.getenv("BRIDGE_HOME"));
            NodeHome home = NodeHome.locate(configured, Path.of(""), jarDir());
            // Before the first logger exists: the home's config/log4j2.properties, logs/ under the home.
            useLogConfiguration(home.dir());
            main = createMain(home, Map.of());
        } catch (RuntimeException e) {
            StartupFailure.exit(e);
            return;
        }
        StartupFailure.run(main, args);
    }

    /**
     * Makes log4j read {@code <home>/config/log4j2.properties} when it exists and no
     * -Dlog4j2.configurationFile was given (otherwise the built-in console configuration), and
     * points its logs dir at {@code <home>/logs} ({@code ${sys:bridge.home}}). Must run before any
     * logger is made: log4j reads its configuration once, at its first use.
     */
    static void useLogConfiguration(Path home) {
        System.setProperty(NodeHome.PROPERTY, home.toAbsolutePath().normalize().toString());
        Path file = home.resolve("config/log4j2.properties");
        if (System.getProperty("log4j2.configurationFile") == null && Files.isRegularFile(file)) {
            System.setProperty("log4j2.configurationFile", file.toAbsolutePath().toString());
        }
    }

    /** The node as the jar runs it, rooted at {@code workDir}; {@code overrides} win over every other source (tests, the demo). */
    public static Main createMain(Path workDir, Map<String, String> overrides) {
        return createMain(new NodeHome(workDir.toAbsolutePath().normalize()), overrides);
    }

    /**
     * Precedence, lowest first: bridge-defaults.properties in the jar (every default, once),
     * config/application.properties, environment variables, -D system properties; {@code overrides}
     * (tests, the demo) win over all of them.
     */
    public static Main createMain(NodeHome home, Map<String, String> overrides) {
        Path routes = home.dir().resolve("routes");
        if (!Files.isDirectory(routes)) {
            throw new IllegalStateException("No routes/ folder in " + home.dir() + ": the node needs routes/connector-readings.yaml (shipped beside the jar)");
        }
        // No classpath scanning: the node is exactly the configurations named here and the routes in routes/.
        Main main = new Main();
        // camel-main 4.17 resolves a key to the FIRST location that has it (measured): the user's file goes first.
        Path userFile = home.dir().resolve("config/application.properties");
        main.setPropertyPlaceholderLocations("file:" + userFile + ";optional=true,classpath:bridge-defaults.properties");
        main.addInitialProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        main.addInitialProperty("camel.component.properties.environment-variable-mode", "0");
        EnvironmentSettings.overrides(userFile, System::getenv).forEach(main::addOverrideProperty);
        main.addOverrideProperty(NodeHome.PROPERTY, home.dir().toString());
        overrides.forEach(main::addOverrideProperty);
        CONFIGURATIONS.forEach(main.configure()::addConfiguration);
        // camel-main makes its HTTP servers before the configuration classes run: their factory (Jolokia's
        // users file) is bound here.
        main.bind("nodeHttpServerFactory", new NodeHttpServerFactory());
        return main;
    }

    private static Optional<Path> jarDir() {
        try {
            Path code = Path.of(BridgeApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(Files.isRegularFile(code) ? code.getParent() : null);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
