package com.plantbridge.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * How much one node takes: connectors in the settings file ({@code bridge.max-connectors}) and tags
 * per connector, listed or found in folders ({@code bridge.max-tags-per-connector}). Node settings,
 * because what a node can carry depends on its host, not on the mirrored file.
 */
public record SettingsLimits(int maxConnectors, int maxTagsPerConnector) {

    public static final String MAX_CONNECTORS = "bridge.max-connectors";
    public static final String MAX_TAGS_PER_CONNECTOR = "bridge.max-tags-per-connector";

    public SettingsLimits {
        if (maxConnectors < 1) {
            throw new IllegalArgumentException(MAX_CONNECTORS + ": must be at least 1, got " + maxConnectors);
        }
        if (maxTagsPerConnector < 1) {
            throw new IllegalArgumentException(MAX_TAGS_PER_CONNECTOR + ": must be at least 1, got " + maxTagsPerConnector);
        }
    }

    /** The built-in defaults, read from bridge-defaults.properties (where every node default lives). */
    public static SettingsLimits defaults() {
        Properties defaults = new Properties();
        try (InputStream in = SettingsLimits.class.getResourceAsStream("/bridge-defaults.properties")) {
            if (in == null) {
                throw new IllegalStateException("bridge-defaults.properties is not on the classpath");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SettingsLimits(Integer.parseInt(defaults.getProperty(MAX_CONNECTORS).trim()),
                Integer.parseInt(defaults.getProperty(MAX_TAGS_PER_CONNECTOR).trim()));
    }
}
