package com.plantbridge.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;

/**
 * Typed access to the node-local settings (config/application.properties, overridable by
 * environment variables and system properties the Camel way). Errors name the key.
 */
public final class NodeProperties {

    private final CamelContext context;

    public NodeProperties(CamelContext context) {
        this.context = context;
    }

    public Optional<String> optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String text(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        String value = text(key, String.valueOf(defaultValue));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a whole number, got '" + value + "'");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = text(key, String.valueOf(defaultValue));
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + ": must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** Milliseconds as a plain number, the unit the settings table uses. */
    public Duration millis(String key, long defaultMillis) {
        String value = text(key, String.valueOf(defaultMillis));
        try {
            long ms = Long.parseLong(value);
            if (ms < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a number of milliseconds >= 0, got '" + value + "'");
        }
    }

    public Path path(String key, String defaultValue) {
        return Path.of(text(key, defaultValue));
    }
}
