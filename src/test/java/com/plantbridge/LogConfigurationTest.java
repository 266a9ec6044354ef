package com.plantbridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.node.LogContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped config/log4j2.properties: read from the node's home at start, dated lines with node
 * and connector to the console and a rolling file under logs/, and the same secret-pinning loggers
 * as the built-in configuration (NoSecretInLogsTest proves those pins keep every secret out).
 */
class LogConfigurationTest {

    private static final Path SHIPPED = Path.of("config/log4j2.properties");

    @TempDir
    Path home;

    @Test
    void theShippedConfigurationPinsEverySecretPrintingLoggerAsTheBuiltInOneDoes() throws IOException {
        Properties builtIn = new Properties();
        try (InputStream in = LogConfigurationTest.class.getResourceAsStream("/log4j2.properties")) {
            builtIn.load(in);
        }
        Properties shipped = load(SHIPPED);
        int pins = 0;
        for (String key : builtIn.stringPropertyNames()) {
            if (key.startsWith("logger.") && key.endsWith(".name")) {
                String level = key.substring(0, key.length() - ".name".length()) + ".level";
                assertThat(shipped.getProperty(key)).as(key).isEqualTo(builtIn.getProperty(key));
                assertThat(shipped.getProperty(level)).as(level).isEqualTo(builtIn.getProperty(level));
                pins++;
            }
        }
        assertThat(pins).isGreaterThanOrEqualTo(6);
        assertThat(shipped.getProperty("logger.hcwire.level")).isEqualTo("OFF");
        assertThat(shipped.getProperty("logger.camelproperties.level")).isEqualTo("INFO");
    }

    @Test
    void theShippedConfigurationWritesDatedLinesWithNodeAndConnectorToLogsUnderTheHome() throws Exception {
        String before = System.getProperty("bridge.home");
        System.setProperty("bridge.home", home.toString());
        LoggerContext context = new LoggerContext("shipped-config-test", null, SHIPPED.toAbsolutePath().toUri());
        try {
            context.start();
            ThreadContext.put(LogContext.NODE, "plant-a-node-1");
            ThreadContext.put(LogContext.CONNECTOR, "line-1");
            context.getLogger("com.plantbridge.tags.GatewayConnection").info("OPC UA session to opc.tcp://gw:62541 lost; reconnecting");
            context.getLogger("org.apache.hc.client5.http.headers").error("Authorization: Bearer must-never-show");
        } finally {
            ThreadContext.clearMap();
            context.stop();
            if (before == null) {
                System.clearProperty("bridge.home");
            } else {
                System.setProperty("bridge.home", before);
            }
        }
        String log = Files.readString(home.resolve("logs/bridge.log"));
        assertThat(log).containsPattern("(?m)^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  \\[[^]]+] plant-a-node-1 line-1 GatewayConnection - "
                + "OPC UA session to opc.tcp://gw:62541 lost; reconnecting$");
        assertThat(log).doesNotContain("must-never-show");
    }

    @Test
    void theNodeUsesItsHomesLogConfigurationUnlessOneIsGiven() throws Exception {
        String before = System.getProperty("log4j2.configurationFile");
        String homeBefore = System.getProperty("bridge.home");
        try {
            System.clearProperty("log4j2.configurationFile");
            BridgeApplication.useLogConfiguration(home);
            assertThat(System.getProperty("log4j2.configurationFile")).as("no config/log4j2.properties: the built-in one").isNull();
            Files.createDirectories(home.resolve("config"));
            Files.copy(SHIPPED, home.resolve("config/log4j2.properties"));
            BridgeApplication.useLogConfiguration(home);
            assertThat(System.getProperty("log4j2.configurationFile")).isEqualTo(home.resolve("config/log4j2.properties").toString());
            System.setProperty("log4j2.configurationFile", "/etc/site-log4j2.xml");
            BridgeApplication.useLogConfiguration(home);
            assertThat(System.getProperty("log4j2.configurationFile")).as("-D wins").isEqualTo("/etc/site-log4j2.xml");
            assertThat(System.getProperty("bridge.home")).isEqualTo(home.toString());
        } finally {
            restore("log4j2.configurationFile", before);
            restore("bridge.home", homeBefore);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
