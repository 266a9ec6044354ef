package com.plantbridge.settings;

import java.util.List;

/**
 * A boolean or integer tag that drives a MaintainX asset's status ({@code POST /assets/{id}/status}).
 * A value listed in {@code onlineWhen} means ONLINE; without {@code offlineWhen} every other value
 * means OFFLINE, with it a value in neither list changes nothing. Values compare as numbers
 * (true is 1, false is 0).
 *
 * @param tag in a folder entry, the status tag's path relative to the folder; null on a tag entry
 */
public record AssetStatusSettings(long assetId, String tag, List<Double> onlineWhen, List<Double> offlineWhen) {

    public enum Status { ONLINE, OFFLINE }

    public AssetStatusSettings {
        onlineWhen = List.copyOf(onlineWhen);
        offlineWhen = offlineWhen == null ? null : List.copyOf(offlineWhen);
    }

    /** The status a tag value stands for; null when it stands for none (not listed while offline-when is given). */
    public Status statusOf(Number value) {
        double v = value.doubleValue();
        if (onlineWhen.contains(v)) {
            return Status.ONLINE;
        }
        if (offlineWhen == null || offlineWhen.contains(v)) {
            return Status.OFFLINE;
        }
        return null;
    }

    /** The same rule for a tag of a folder: {@code tag} resolved to a full path by the caller. */
    public AssetStatusSettings forTag() {
        return new AssetStatusSettings(assetId, null, onlineWhen, offlineWhen);
    }
}
