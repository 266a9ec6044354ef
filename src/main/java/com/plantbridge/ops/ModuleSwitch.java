package com.plantbridge.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's local enable flag: the one setting a Backup's operator may change. A runtime toggle
 * is written to the data dir so that it survives a restart; bridge.enabled only sets the first value.
 */
public final class ModuleSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleSwitch.class);
    private static final String KEY = "module.enabled";

    private final Path stateFile;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean enabled;

    public ModuleSwitch(Path dataDir, boolean initial) {
        this.stateFile = dataDir.resolve("node-state.properties");
        this.enabled = readPersisted().orElse(initial);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    public synchronized void set(boolean value, String by) {
        if (value == enabled) {
            return;
        }
        persist(value);
        enabled = value;
        LOG.info("Module {} on this node by {}", value ? "enabled" : "disabled", by);
        listeners.forEach(l -> l.accept(value));
    }

    private java.util.Optional<Boolean> readPersisted() {
        if (!Files.exists(stateFile)) {
            return java.util.Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(stateFile)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(stateFile + ": cannot be read", e);
        }
        String value = p.getProperty(KEY);
        return value == null ? java.util.Optional.empty() : java.util.Optional.of(Boolean.parseBoolean(value.trim()));
    }

    private void persist(boolean value) {
        Properties p = new Properties();
        p.setProperty(KEY, String.valueOf(value));
        try {
            Files.createDirectories(stateFile.getParent());
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Local module state of this node; changed through the admin API or JMX");
            }
            Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(stateFile + ": cannot be written", e);
        }
    }
}
