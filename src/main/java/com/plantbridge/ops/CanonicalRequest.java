package com.plantbridge.ops;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one spelling of a request target the admin port takes: lowercase path segments of letters,
 * digits and '-' between single slashes, and an optional query of plain name=value pairs. Anything
 * else (dot segments, percent-encoding, backslashes, doubled or trailing slashes, ';' parameters,
 * upper case, non-ASCII, absolute-form targets, overlong paths) is refused before any route runs,
 * so that the path the authorization decides on and the path the router dispatches are the same
 * string: Vert.x matches the normalized path, and /api/peer/%2e%2e/settings reached the settings
 * route from a path that did not start with it.
 */
public final class CanonicalRequest {

    public static final int MAX_PATH = 128;
    public static final int MAX_QUERY = 256;
    private static final Pattern PATH = Pattern.compile("/|(/[a-z0-9]+(-[a-z0-9]+)*)+");
    private static final Pattern QUERY = Pattern.compile("([A-Za-z0-9._~-]+=[A-Za-z0-9._~-]*(&[A-Za-z0-9._~-]+=[A-Za-z0-9._~-]*)*)?");

    private CanonicalRequest() {
    }

    /** Why the raw request target (the request line's second word) is not canonical; empty when it is. */
    public static Optional<String> problem(String target) {
        if (target == null || target.isEmpty() || target.charAt(0) != '/') {
            return Optional.of("the request target must be a path starting with '/' (no absolute-form URI)");
        }
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        if (path.length() > MAX_PATH) {
            return Optional.of("the path is longer than " + MAX_PATH + " characters");
        }
        if (query.length() > MAX_QUERY) {
            return Optional.of("the query is longer than " + MAX_QUERY + " characters");
        }
        if (!target.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.of("the request target holds a character outside printable ASCII");
        }
        if (!PATH.matcher(path).matches()) {
            return Optional.of("the path is not in canonical form (" + pathProblem(path) + ")");
        }
        if (!QUERY.matcher(query).matches()) {
            return Optional.of("the query is not plain name=value pairs of letters, digits and - . _ ~");
        }
        return Optional.empty();
    }

    private static String pathProblem(String path) {
        if (path.contains("%")) {
            return "percent-encoding";
        }
        if (path.contains("\\")) {
            return "a backslash";
        }
        if (path.contains(";")) {
            return "a ';' parameter";
        }
        if (path.equals("/.") || path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
            return "a dot segment";
        }
        if (path.contains("//")) {
            return "an empty segment";
        }
        if (path.endsWith("/")) {
            return "a trailing slash";
        }
        if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
            return "upper case";
        }
        return "a character other than lowercase letters, digits, '-' and '/'";
    }
}
