package com.plantbridge.settings;

import java.time.Duration;
import java.util.List;

/** One MaintainX connector: a token and the tags whose values it sends. */
public record ConnectorSettings(
        String name,
        boolean enabled,
        Secret token,
        Long organizationId,
        boolean autoCreateMeters,
        double deadband,
        Duration minInterval,
        List<TagSettings> tags,
        List<String> folders) {

    public ConnectorSettings {
        tags = List.copyOf(tags);
        folders = List.copyOf(folders);
    }
}
