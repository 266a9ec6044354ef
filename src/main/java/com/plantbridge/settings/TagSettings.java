package com.plantbridge.settings;

/**
 * One tag of a connector and where its values go.
 *
 * @param meterId     the MaintainX meter; null when the node finds or creates one (auto-create-meters),
 *                    or when the tag only drives an asset status
 * @param assetStatus the asset whose status the tag drives, or null
 */
public record TagSettings(String path, Long meterId, Double deadband, AssetStatusSettings assetStatus) {

    public TagSettings(String path, long meterId, Double deadband) {
        this(path, Long.valueOf(meterId), deadband, null);
    }

    /** The tag's own deadband when it has one, the connector's otherwise. */
    public double deadbandOr(double connectorDefault) {
        return deadband != null ? deadband : connectorDefault;
    }

    public boolean hasMeterId() {
        return meterId != null;
    }
}
