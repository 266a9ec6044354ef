package com.plantbridge.settings;

import java.nio.file.Path;
import java.time.Instant;

/** The module settings in force on this node, and where they came from. */
public final class ActiveSettings {

    private final Path file;
    private volatile ModuleSettings current;
    private volatile Instant loadedAt;

    public ActiveSettings(Path file, ModuleSettings initial) {
        this.file = file;
        this.current = initial;
        this.loadedAt = Instant.now();
    }

    public static ActiveSettings load(Path file) {
        return new ActiveSettings(file, new ModuleSettingsLoader().load(file));
    }

    public ModuleSettings current() {
        return current;
    }

    public Path file() {
        return file;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public ConnectorSettings connector(String name) {
        return current.connector(name).orElseThrow(() -> new IllegalArgumentException(
                "No connector named '" + name + "' in " + file + " (known: "
                        + String.join(", ", current.connectors().stream().map(ConnectorSettings::name).toList()) + ")"));
    }

    public void replace(ModuleSettings settings) {
        this.current = settings;
        this.loadedAt = Instant.now();
    }
}
