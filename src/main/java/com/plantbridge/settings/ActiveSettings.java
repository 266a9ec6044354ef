package com.plantbridge.settings;

import java.nio.file.Path;
import java.time.Instant;

/** The module settings in force on this node, and where they came from. */
public final class ActiveSettings {

    private final Path file;
    private final ModuleSettingsLoader loader;
    private volatile ModuleSettings current;
    private volatile Instant loadedAt;

    public ActiveSettings(Path file, ModuleSettings initial) {
        this(file, initial, new ModuleSettingsLoader());
    }

    public ActiveSettings(Path file, ModuleSettings initial, ModuleSettingsLoader loader) {
        this.file = file;
        this.loader = loader;
        this.current = initial;
        this.loadedAt = Instant.now();
    }

    /** The file as this node reads it, with its limits (bridge.max-connectors, bridge.max-tags-per-connector). */
    public static ActiveSettings load(Path file, SettingsLimits limits) {
        ModuleSettingsLoader loader = new ModuleSettingsLoader(limits);
        return new ActiveSettings(file, loader.load(file), loader);
    }

    /** The loader with this node's limits: every later version of the file is read with it. */
    public ModuleSettingsLoader loader() {
        return loader;
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
