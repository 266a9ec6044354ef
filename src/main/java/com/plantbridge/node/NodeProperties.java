package com.plantbridge.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;

/**
 * Typed access to the node-local settings. Every key has its default in bridge-defaults.properties
 * and nowhere else; a key missing there is a programming error. Errors name the key.
 */
public final class NodeProperties {

    private final CamelContext context;
    private final NodeHome home;

    public NodeProperties(CamelContext context) {
        this.context = context;
        this.home = new NodeHome(Path.of(required(NodeHome.PROPERTY)));
    }

    public NodeHome home() {
        return home;
    }

    /** The value, or empty when the key is set to nothing (an optional setting). */
    public Optional<String> optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String text(String key) {
        return optional(key).orElseThrow(() -> new IllegalArgumentException(key + ": must not be empty"));
    }

    /** A setting that may be empty (e.g. a password for anonymous access): empty text then. */
    public String textOrEmpty(String key) {
        required(key);
        return optional(key).orElse("");
    }

    public int integer(String key) {
        String value = text(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a whole number, got '" + value + "'");
        }
    }

    public long positiveLong(String key) {
        String value = text(key);
        try {
            long number = Long.parseLong(value);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a whole number of at least 1, got '" + value + "'");
        }
    }

    public boolean bool(String key) {
        String value = text(key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + ": must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** Milliseconds as a plain number, the unit the settings table uses. */
    public Duration millis(String key) {
        return parseMillis(key, text(key));
    }

    /** Milliseconds, or empty when the key is set to nothing (the caller derives the value). */
    public Optional<Duration> optionalMillis(String key) {
        required(key);
        return optional(key).map(v -> parseMillis(key, v));
    }

    /** A path from the settings: absolute as given, relative to the node's home otherwise. */
    public Path path(String key) {
        return home.resolve(text(key));
    }

    private static Duration parseMillis(String key, String value) {
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

    private String required(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException(key + " has no built-in default in bridge-defaults.properties"));
    }
}
