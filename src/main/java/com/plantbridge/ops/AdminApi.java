package com.plantbridge.ops;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.plantbridge.settings.ModuleSettingsLoader;

/**
 * Every route of the admin port and what a call to it needs, one line each: a read is open, an
 * admin call needs the admin token, a peer call a valid peer signature. {@link AdminAuthorization}
 * decides on this table alone, on exactly the path the router dispatches, and refuses what is not
 * in it; a platform-http route missing here does not start ({@link AdminHttpEngine}). The token
 * check used to test the raw path for the prefix /api/peer/ while the router matched the
 * normalized one: POST /api/peer/../module/disable disabled a node without a token.
 */
public final class AdminApi {

    /** What a call must bring. */
    public enum Access { READ, ADMIN, PEER }

    /** One route: its method, its exact path, what it needs, and the largest request body it takes. */
    public record Route(String method, String path, Access access, long maxBodyBytes) {
        @Override
        public String toString() {
            return method + " " + path + " (" + access.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    /** Any call without a settings document: a query string's worth, with room to spare. */
    public static final long SMALL_BODY = 64 * 1024;
    /** A settings file at the loader's limit, at two bytes a character (the file is YAML text). */
    public static final long SETTINGS_BODY = 2L * ModuleSettingsLoader.MAX_CODE_POINTS;
    /** The same file sealed for the peer: Base64 of the encrypted bytes inside a small JSON document. */
    public static final long SEALED_SETTINGS_BODY = SETTINGS_BODY / 3 * 4 + SMALL_BODY;

    public static final List<Route> ROUTES = List.of(
            read("GET", "/"),
            read("GET", "/api/status"),
            read("GET", "/api/status/tags"),
            read("GET", "/api/quarantine"),
            admin("POST", "/api/quarantine/replay", SMALL_BODY),
            admin("POST", "/api/rescan", SMALL_BODY),
            admin("POST", "/api/module/enable", SMALL_BODY),
            admin("POST", "/api/module/disable", SMALL_BODY),
            admin("PUT", "/api/settings", SETTINGS_BODY),
            peer("GET", "/api/peer/view", SMALL_BODY),
            peer("POST", "/api/peer/handover", SMALL_BODY),
            peer("POST", "/api/peer/settings", SEALED_SETTINGS_BODY),
            peer("POST", "/api/peer/knowledge", SMALL_BODY));

    private AdminApi() {
    }

    private static Route read(String method, String path) {
        return new Route(method, path, Access.READ, SMALL_BODY);
    }

    private static Route admin(String method, String path, long maxBody) {
        return new Route(method, path, Access.ADMIN, maxBody);
    }

    private static Route peer(String method, String path, long maxBody) {
        return new Route(method, path, Access.PEER, maxBody);
    }

    /** The largest body any route takes. */
    public static long largestBody() {
        return ROUTES.stream().mapToLong(Route::maxBodyBytes).max().orElse(SMALL_BODY);
    }

    /** The route for exactly this method and path. */
    public static Optional<Route> find(String method, String path) {
        return ROUTES.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst();
    }

    /** The methods declared for a path, as an Allow header lists them; empty when the path is not declared. */
    public static String methods(String path) {
        return ROUTES.stream().filter(r -> r.path().equals(path)).map(Route::method).distinct().collect(Collectors.joining(", "));
    }

    /**
     * Refuses a platform-http route that is not declared exactly: every method it answers must be in
     * the table for its path, and it may not match a prefix or take path parameters.
     */
    static void requireDeclared(String path, String methodRestrict, boolean matchOnPrefix) {
        String where = "platform-http:" + path + ": every route of the admin port is declared in " + AdminApi.class.getName()
                + " as a read, an admin call or a peer call";
        if (matchOnPrefix || path.contains("{") || path.contains("*")) {
            throw new IllegalStateException(where + "; a route matches one exact path (no prefix, no path parameters)");
        }
        if (methodRestrict == null || methodRestrict.isBlank()) {
            throw new IllegalStateException(where + "; the route must name its method (httpMethodRestrict)");
        }
        for (String method : methodRestrict.split(",")) {
            if (find(method.trim().toUpperCase(Locale.ROOT), path).isEmpty()) {
                throw new IllegalStateException(where + "; " + method.trim() + " " + path + " is not declared");
            }
        }
    }
}
