package com.plantbridge.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's local enable flag: the one setting a Backup's operator may change. A runtime toggle
 * is written to the data dir so that it survives a restart; bridge.enabled only sets the first
 * value. As a Camel service it shows in JMX (type=services) with enable/disable operations.
 */
@ManagedResource(description = "Local enable flag of the MaintainX module on this node")
public final class ModuleSwitch extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleSwitch.class);
    private static final String KEY = "module.enabled";

    private final Path stateFile;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean enabled;

    public ModuleSwitch(Path dataDir, boolean initial) {
        this.stateFile = dataDir.resolve("node-state.properties");
        this.enabled = readPersisted().orElse(initial);
    }

    @ManagedAttribute(description = "Whether this node may send readings when its gateway is Active")
    public boolean isEnabled() {
        return enabled;
    }

    @ManagedOperation(description = "Enable the module on this node")
    public void enable() {
        set(true, "JMX");
    }

    @ManagedOperation(description = "Disable the module on this node; it stops sending at once")
    public void disable() {
        set(false, "JMX");
    }

    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public synchronized void set(boolean value, String by) {
        if (value == enabled) {
            return;
        }
        persist(value);
        enabled = value;
        LOG.info("Module {} on this node by {}", value ? "enabled" : "disabled", by);
        listeners.forEach(Runnable::run);
    }

    private Optional<Boolean> readPersisted() {
        if (!Files.exists(stateFile)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(stateFile)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(stateFile + ": cannot be read", e);
        }
        String value = p.getProperty(KEY);
        return value == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(value.trim()));
    }

    private void persist(boolean value) {
        Properties p = new Properties();
        p.setProperty(KEY, String.valueOf(value));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, "Local module state of this node; changed through the admin API or JMX");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(stateFile, out.toByteArray());
    }
}
