package com.plantbridge.tags;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;

/**
 * Puts new module settings in force without a restart: only the connectors whose settings changed
 * get a new route and sender; the others keep streaming, and their folders are scanned again (a
 * save is how an engineer says "I added tags"). Readings already accepted stay in the outbox
 * whatever changes.
 */
public final class SettingsApplier {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsApplier.class);

    private final ActiveSettings active;
    private final ConnectorRoutes routes;
    private final MaintainxSenders senders;
    private final List<Consumer<ModuleSettings>> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<Set<String>> rescan;

    /** @param rescan scans the folders of the named connectors, which keep their route (changed ones get a new route, which scans as it starts) */
    public SettingsApplier(ActiveSettings active, ConnectorRoutes routes, MaintainxSenders senders, Consumer<Set<String>> rescan) {
        this.active = active;
        this.routes = routes;
        this.senders = senders;
        this.rescan = rescan;
    }

    public synchronized void apply(ModuleSettings next) throws Exception {
        ModuleSettings previous = active.current();
        Set<String> changed = new HashSet<>();
        for (ConnectorSettings connector : next.connectors()) {
            previous.connector(connector.name()).filter(p -> !p.equals(connector)).ifPresent(p -> changed.add(connector.name()));
        }
        active.replace(next);
        senders.apply(next, changed);
        routes.apply(next, changed);
        Set<String> unchanged = new HashSet<>();
        next.enabledConnectors().stream().map(ConnectorSettings::name).filter(name -> !changed.contains(name)).forEach(unchanged::add);
        rescan.accept(unchanged);
        LOG.info("Module settings in force: {} connectors ({} enabled), changed: {}", next.connectors().size(),
                next.enabledConnectors().size(), changed.isEmpty() ? "none" : String.join(", ", changed));
        listeners.forEach(listener -> listener.accept(next));
    }

    /** Called with the settings at start and with every settings change put in force (per-connector metrics and MBeans). */
    public void onApplied(Consumer<ModuleSettings> listener) {
        listeners.add(listener);
    }

    /** The first application at start-up: every enabled connector gets its route. */
    public void start() throws Exception {
        routes.apply(active.current(), Set.of());
        listeners.forEach(listener -> listener.accept(active.current()));
    }
}
