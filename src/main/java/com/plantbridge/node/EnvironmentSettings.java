package com.plantbridge.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Environment variables in Camel's naming ({@code IGNITION_OPCUA_ENDPOINT} for
 * {@code ignition.opcua.endpoint}) for every key the node knows. Camel 4.17 looks environment
 * variables up before -D system properties (measured: an environment variable beat
 * {@code -Dbridge.node-name}); the node wants -D to win, so it turns Camel's own environment lookup
 * off and hands these over as overrides, which system properties still beat.
 */
public final class EnvironmentSettings {

    private EnvironmentSettings() {
    }

    public static Map<String, String> overrides(Path userFile, UnaryOperator<String> environment) {
        Map<String, String> found = new HashMap<>();
        for (String key : knownKeys(userFile)) {
            String value = environment.apply(variableName(key));
            if (value != null) {
                found.put(key, value);
            }
        }
        return found;
    }

    static String variableName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Set<String> knownKeys(Path userFile) {
        Set<String> keys = new TreeSet<>();
        try (InputStream defaults = EnvironmentSettings.class.getResourceAsStream("/bridge-defaults.properties")) {
            keys.addAll(load(defaults).stringPropertyNames());
            if (Files.isRegularFile(userFile)) {
                try (InputStream user = Files.newInputStream(userFile)) {
                    keys.addAll(load(user).stringPropertyNames());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(userFile + ": cannot be read", e);
        }
        return keys;
    }

    private static Properties load(InputStream in) throws IOException {
        Properties properties = new Properties();
        if (in != null) {
            properties.load(in);
        }
        return properties;
    }
}
