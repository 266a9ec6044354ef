package com.plantbridge.tags;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

import com.plantbridge.settings.TagSettings;

/**
 * The tags a connector monitors: its listed tags, each with its own settings, then the tags its
 * folders hold, in path order, up to the node's limit per connector. Listed tags come first
 * because the settings loader already keeps them within the limit; a folder that grows past it
 * loses its last tags by path, so the same tags keep streaming scan after scan.
 *
 * @param found   listed tags plus folder tags not listed, before the limit
 * @param dropped tags over the limit, not monitored
 */
record TagSelection(List<TagSettings> tags, int found, int dropped, int max) {

    static TagSelection select(List<TagSettings> listed, SortedMap<String, TagSettings> inFolders, int max) {
        List<TagSettings> tags = new ArrayList<>(Math.min(max, listed.size() + inFolders.size()));
        Set<String> paths = new HashSet<>();
        for (TagSettings tag : listed) {
            if (paths.add(tag.path()) && tags.size() < max) {
                tags.add(tag);
            }
        }
        int found = paths.size();
        for (TagSettings tag : inFolders.values()) {
            if (paths.add(tag.path())) {
                found++;
                if (tags.size() < max) {
                    tags.add(tag);
                }
            }
        }
        return new TagSelection(List.copyOf(tags), found, found - tags.size(), max);
    }

    boolean overLimit() {
        return dropped > 0;
    }
}
