package com.plantbridge.settings;

import java.time.Duration;
import java.util.List;

/**
 * One MaintainX connector: a token and the tags whose values it sends.
 *
 * @param assetId        the asset meters created for this connector's tags are tied to, or null
 * @param defaultUnit    the unit of a created meter whose tag has no engineering units
 * @param rescanInterval how often the folders are browsed again
 */
public record ConnectorSettings(
        String name,
        boolean enabled,
        Secret token,
        Long organizationId,
        boolean autoCreateMeters,
        double deadband,
        Duration minInterval,
        List<TagSettings> tags,
        List<FolderSettings> folders,
        Long assetId,
        String defaultUnit,
        Duration rescanInterval) {

    /** Unit of a created meter when neither the tag nor the settings name one. */
    public static final String DEFAULT_UNIT = "Units";
    /** Folders are browsed again this often unless the settings say otherwise. */
    public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofHours(1);

    public ConnectorSettings {
        tags = List.copyOf(tags);
        folders = List.copyOf(folders);
    }

    /** A connector without folders, meter assets or a unit of its own. */
    public ConnectorSettings(String name, boolean enabled, Secret token, Long organizationId, boolean autoCreateMeters, double deadband,
                             Duration minInterval, List<TagSettings> tags, List<FolderSettings> folders) {
        this(name, enabled, token, organizationId, autoCreateMeters, deadband, minInterval, tags, folders, null, DEFAULT_UNIT,
                DEFAULT_RESCAN_INTERVAL);
    }

    /** True when the tag set comes (also) from browsing, or a listed tag needs its meter found or created. */
    public boolean needsCatalogue() {
        return !folders.isEmpty() || (autoCreateMeters && tags.stream().anyMatch(t -> !t.hasMeterId()));
    }
}
