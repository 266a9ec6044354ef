package com.plantbridge.sim.maintainx;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Multi-valued query string, so {@code expand=a&expand=b} and {@code expand=a,b} both work. */
final class QueryParams {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    QueryParams(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    String first(String key) {
        List<String> list = values.get(key);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** Every value of a key, comma-separated values split ({@code assetId=1&assetId=2} or {@code assetId=1,2}). */
    List<String> all(String key) {
        List<String> all = new ArrayList<>();
        for (String value : values.getOrDefault(key, List.of())) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    all.add(part.trim());
                }
            }
        }
        return all;
    }

    boolean contains(String key, String item) {
        for (String value : values.getOrDefault(key, List.of())) {
            for (String part : value.split(",")) {
                if (part.trim().equals(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
