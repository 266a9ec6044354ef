package com.plantbridge.settings;

import java.util.List;
import java.util.Optional;

/** The module settings of config/maintainx.yaml: the part mirrored from the Master's node to the Backup's. */
public record ModuleSettings(List<ConnectorSettings> connectors) {

    public ModuleSettings {
        connectors = List.copyOf(connectors);
    }

    public Optional<ConnectorSettings> connector(String name) {
        return connectors.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<ConnectorSettings> enabledConnectors() {
        return connectors.stream().filter(ConnectorSettings::enabled).toList();
    }
}
