package com.plantbridge.tags;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.plantbridge.maintainx.MeterDirectory;
import com.plantbridge.settings.TagSettings;

/**
 * One scan of a connector's folders: what they hold, what is monitored, and why the rest is not.
 *
 * @param found    listed tags plus the simple tags found in folders
 * @param tags     the tags monitored: within {@code max}, listed first, then by path
 * @param dropped  tags over the limit (bridge.max-tags-per-connector), not monitored
 * @param skipped  variables that cannot be meter readings, with the reason (array, String, DateTime, structure...)
 * @param problems folders the gateway refused and asset-status tags not found, with what is wrong
 * @param needs    monitored tags without a meter-id (their meters are found or created)
 */
public record TagScan(Instant at, int found, List<TagSettings> tags, int dropped, int max, Map<String, String> skipped,
                      Map<String, String> problems, List<MeterDirectory.MeterNeed> needs) {

    public TagScan {
        tags = List.copyOf(tags);
        skipped = java.util.Collections.unmodifiableMap(new TreeMap<>(skipped));
        problems = java.util.Collections.unmodifiableMap(new TreeMap<>(problems));
        needs = List.copyOf(needs);
    }

    public boolean overLimit() {
        return dropped > 0;
    }

    /** Skipped tags counted per reason, e.g. {array=2, String=4}. */
    public Map<String, Long> skippedByReason() {
        return skipped.values().stream().collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
    }
}
