package com.plantbridge.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings table of docs/settings.md and the built-in defaults (their one place) say the same thing, and that
 * table is the only one: the README and the other pages link to it instead of repeating it.
 */
class SettingsDocumentationTest {

    private static final Path SETTINGS_PAGE = Path.of("docs/settings.md");
    private static final Pattern TABLE_HEADER = Pattern.compile("^\\| key \\| default \\|");
    private static final Pattern ROW = Pattern.compile("^\\| ((?:`[^`]+`(?:, )?)+) \\| ([^|]*) \\|");
    private static final Pattern KEY = Pattern.compile("`([^`]+)`");

    @Test
    void everyBuiltInDefaultIsInTheSettingsTableWithItsValue() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = SettingsDocumentationTest.class.getResourceAsStream("/bridge-defaults.properties")) {
            defaults.load(in);
        }
        Map<String, String> documented = documentedDefaults(Files.readString(SETTINGS_PAGE));

        for (String key : defaults.stringPropertyNames()) {
            if (key.startsWith("camel.") && !key.equals("camel.management.port")) {
                continue; // Camel's own settings of the node; the table names the ones a site changes
            }
            assertThat(documented).as("%s: settings table row for %s", SETTINGS_PAGE, key).containsKey(key);
            String value = defaults.getProperty(key).trim();
            if (!value.isEmpty() && !value.contains("{{")) {
                assertThat(documented.get(key)).as("%s: default of %s", SETTINGS_PAGE, key).contains("`" + value + "`");
            }
        }
    }

    @Test
    void theSettingsTableIsInOnePlaceOnly() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).filter(p -> !p.equals(SETTINGS_PAGE)).forEach(pages::add);
        }
        for (Path page : pages) {
            assertThat(Files.readString(page).lines().filter(line -> TABLE_HEADER.matcher(line).find()))
                    .as("%s holds a settings table; it belongs in %s only", page, SETTINGS_PAGE)
                    .isEmpty();
        }
        assertThat(Files.readString(SETTINGS_PAGE).lines().filter(line -> TABLE_HEADER.matcher(line).find()))
                .as("%s holds one settings table", SETTINGS_PAGE)
                .hasSize(1);
    }

    @Test
    void theReadmeNamesEverySettingOfTheTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(documentedDefaults(Files.readString(SETTINGS_PAGE)).keySet())
                .as("settings of %s the README's key list leaves out", SETTINGS_PAGE)
                .allMatch(key -> readme.contains("`" + key + "`"));
    }

    /** The rows of the table under the header {@code | key | default | meaning |}, and no other table of the page. */
    private static Map<String, String> documentedDefaults(String page) {
        Map<String, String> documented = new HashMap<>();
        boolean inTable = false;
        for (String line : page.lines().toList()) {
            if (!inTable) {
                inTable = TABLE_HEADER.matcher(line).find();
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
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
