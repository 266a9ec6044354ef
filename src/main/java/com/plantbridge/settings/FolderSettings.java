package com.plantbridge.settings;

/**
 * A tag folder whose simple numeric and boolean tags the connector monitors, found by browsing it.
 *
 * @param assetId     the asset meters created for this folder's tags are tied to (the connector's when null)
 * @param assetStatus a tag of this folder that drives an asset's status, or null
 */
public record FolderSettings(String path, Long assetId, AssetStatusSettings assetStatus) {

    /** The full path of the folder's status tag, or null. */
    public String statusTagPath() {
        return assetStatus == null ? null : path + (path.endsWith("]") || path.endsWith("/") ? "" : "/") + assetStatus.tag();
    }
}
