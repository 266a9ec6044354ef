package com.plantbridge.tags;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many tags a per-tag list of a connector holds, and its first entries by tag path: what status
 * shows of a list that can hold thousands.
 */
public record TagSummary<V>(int total, SortedMap<String, V> first) {

    public static <V> TagSummary<V> none() {
        return new TagSummary<>(0, new TreeMap<>());
    }
}
