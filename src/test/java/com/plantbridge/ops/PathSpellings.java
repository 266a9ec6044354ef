package com.plantbridge.ops;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Other spellings of a canonical path: ways a router, a proxy or a decoder may take for the same
 * path, or for another one, that an authorization deciding on the raw text would not. Made from any
 * path, so that every declared route gets all of them.
 */
final class PathSpellings {

    /** The spellings of issue 19, each of which disabled a node or replaced its settings without a token. */
    static final List<String> ISSUE_19 = List.of(
            "/api/peer/../module/disable", "/api/peer/%2e%2e/module/disable", "/api/peer/%2E%2e/module/disable",
            "/api/peer/view/../../module/disable", "/api/peer/./%2e%2e/module/disable",
            "/api/peer/%2e%2e/settings", "/api/peer/../settings");

    private PathSpellings() {
    }

    static List<String> of(String path) {
        Set<String> s = new LinkedHashSet<>();
        String rel = path.startsWith("/api/") ? path.substring("/api/".length()) : "../" + path.substring(1);
        // Through another route's prefix, as in the issue, with every way of writing "..".
        for (String up : List.of("..", "%2e%2e", "%2E%2e", "%2e%2E", "%2E%2E", ".%2e", "%2e.", "..;", "%252e%252e", "%u002e%u002e", "%c0%ae%c0%ae")) {
            s.add("/api/peer/" + up + "/" + rel);
            s.add("/api/peer/view/" + up + "/" + up + "/" + rel);
        }
        s.add("/api/peer/./%2e%2e/" + rel);
        s.add("/api/status/../" + rel);
        s.add("/api/peer/..%2f" + rel);
        s.add("/api/peer/..%2F" + rel);
        s.add("/api/peer/..%5c" + rel);
        s.add("/api/peer/..%5C" + rel);
        s.add("/api/peer/..\\" + rel);
        s.add("/api/peer//../" + rel);
        List<Integer> slashes = new ArrayList<>();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                slashes.add(i);
            }
        }
        for (int at : slashes) {
            String before = path.substring(0, at);
            String after = path.substring(at + 1);
            s.add(before + "/./" + after);
            s.add(before + "/%2e/" + after);
            s.add(before + "/x/../" + after);
            s.add(before + "//" + after);
            if (at > 0) {
                for (String slash : List.of("%2f", "%2F", "%5c", "%5C", "\\", "%252f", "\uff0f")) {
                    s.add(before + slash + after);
                }
            }
        }
        for (String tail : List.of("/", "//", "/.", "/..", "/%2e", "%2f", "%00", "%20", "%0d%0aX-Injected:%201", ";", ";x=1", ";jsessionid=0",
                "#fragment", "%23", "/x/..", ".", "~", "%7e")) {
            s.add(path + tail);
        }
        String[] segments = path.substring(1).split("/");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                continue;
            }
            s.add(with(segments, i, segments[i] + ";"));
            s.add(with(segments, i, segments[i] + ";p=1"));
            s.add(with(segments, i, segments[i].toUpperCase(Locale.ROOT)));
            s.add(with(segments, i, Character.toUpperCase(segments[i].charAt(0)) + segments[i].substring(1)));
            s.add(with(segments, i, String.format("%%%02x", (int) segments[i].charAt(0)) + segments[i].substring(1)));
            s.add(with(segments, i, String.format("%%%02X", (int) segments[i].charAt(0)) + segments[i].substring(1)));
            s.add(with(segments, i, segments[i] + "\u00e9"));
            s.add(with(segments, i, segments[i] + "%C3%A9"));
            s.add(with(segments, i, segments[i].replaceFirst("a", "\u0430")));
        }
        s.add(path.toUpperCase(Locale.ROOT));
        s.add("//" + path.substring(1));
        s.add("http://127.0.0.1" + path);
        s.add("//127.0.0.1" + path);
        s.add("/api" + "/.".repeat(2_000) + "/" + rel);
        s.add("/api/peer" + "/x/..".repeat(400) + "/../" + rel);
        s.add(path + "/" + "a".repeat(CanonicalRequest.MAX_PATH));
        s.add("/" + "%2e%2e/".repeat(10) + path.substring(1));
        s.remove(path);
        return List.copyOf(s);
    }

    private static String with(String[] segments, int index, String replacement) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append('/').append(i == index ? replacement : segments[i]);
        }
        return path.toString();
    }
}
