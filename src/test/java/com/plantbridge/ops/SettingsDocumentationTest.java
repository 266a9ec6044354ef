package com.plantbridge.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's settings table and the built-in defaults (their one place) say the same thing. */
class SettingsDocumentationTest {

    private static final Pattern ROW = Pattern.compile("^\\| ((?:`[^`]+`(?:, )?)+) \\| ([^|]*) \\|");
    private static final Pattern KEY = Pattern.compile("`([^`]+)`");

    @Test
    void everyBuiltInDefaultIsInTheReadmesSettingsTableWithItsValue() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = SettingsDocumentationTest.class.getResourceAsStream("/bridge-defaults.properties")) {
            defaults.load(in);
        }
        Map<String, String> documented = documentedDefaults(Files.readString(Path.of("README.md")));

        for (String key : defaults.stringPropertyNames()) {
            if (key.startsWith("camel.") && !key.equals("camel.management.port")) {
                continue; // Camel's own settings of the node; the README names the ones a site changes
            }
            assertThat(documented).as("README settings table row for %s", key).containsKey(key);
            String value = defaults.getProperty(key).trim();
            if (!value.isEmpty() && !value.contains("{{")) {
                assertThat(documented.get(key)).as("README default of %s", key).contains("`" + value + "`");
            }
        }
    }

    private static Map<String, String> documentedDefaults(String readme) {
        Map<String, String> documented = new HashMap<>();
        for (String line : readme.lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            Matcher keys = KEY.matcher(row.group(1));
            while (keys.find()) {
                documented.put(keys.group(1), row.group(2));
            }
        }
        return documented;
    }
}
