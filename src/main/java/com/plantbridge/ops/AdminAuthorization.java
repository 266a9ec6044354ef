package com.plantbridge.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.Secret;

/**
 * The admin token check, as a Vert.x handler that camel-platform-http-vertx runs before every
 * platform-http route of the admin server ({@code VertxPlatformHttpEngine#setHandlers}): any call
 * that is not a read (GET, HEAD) needs {@code Authorization: Bearer <bridge.admin.token>}, so a
 * state-changing admin call added later is covered by construction. Unauthenticated calls stopped
 * every connector of a pair from a cross-site form post. Peer paths carry their own signatures.
 */
public final class AdminAuthorization implements Handler<RoutingContext> {

    public static final String TOKEN_KEY = "bridge.admin.token";
    private static final String PEER_PATHS = "/api/peer/";
    private static final Logger LOG = LoggerFactory.getLogger(AdminAuthorization.class);

    /** Why a call was refused: its HTTP status and the message of the JSON answer. */
    public record Refusal(int status, String error) {
    }

    private final byte[] tokenDigest;
    private final ObjectMapper json;
    private final OncePerInterval logLimit;
    private final AtomicLong refused = new AtomicLong();

    public AdminAuthorization(Secret token, Clock clock, ObjectMapper json) {
        this.json = json;
        this.tokenDigest = token.isEmpty() ? null : sha256(token.reveal());
        this.logLimit = new OncePerInterval(Duration.ofMinutes(1), clock);
    }

    public boolean isTokenConfigured() {
        return tokenDigest != null;
    }

    public long refusedCalls() {
        return refused.get();
    }

    /** Empty when the call may proceed. */
    public Optional<Refusal> check(String method, String path, String authorization) {
        String m = method.toUpperCase(Locale.ROOT);
        if (m.equals("GET") || m.equals("HEAD") || (path != null && path.startsWith(PEER_PATHS))) {
            return Optional.empty();
        }
        if (tokenDigest == null) {
            return Optional.of(new Refusal(403, "state-changing admin calls are off on this node: " + TOKEN_KEY
                    + " is not set; set it in config/application.properties (or the environment variable BRIDGE_ADMIN_TOKEN)"
                    + " and send Authorization: Bearer <token>"));
        }
        String given = authorization == null ? null : authorization.strip();
        if (given == null || given.length() < 7 || !given.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(new Refusal(401, "this call needs the header Authorization: Bearer <" + TOKEN_KEY + ">"));
        }
        // Digests of equal length, compared in constant time: neither the token nor its length leaks through timing.
        if (!MessageDigest.isEqual(tokenDigest, sha256(given.substring(7).strip()))) {
            return Optional.of(new Refusal(401, "wrong admin token (" + TOKEN_KEY + ")"));
        }
        return Optional.empty();
    }

    @Override
    public void handle(RoutingContext ctx) {
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        Optional<Refusal> refusal = check(method, path, ctx.request().getHeader("Authorization"));
        if (refusal.isEmpty()) {
            // The token has done its job: it never reaches a Camel message, a tracer or a log.
            try {
                ctx.request().headers().remove("Authorization");
            } catch (UnsupportedOperationException e) {
                // read-only headers (HTTP/2): the routes never log headers anyway
            }
            ctx.next();
            return;
        }
        refused.incrementAndGet();
        long unlogged = logLimit.event();
        if (unlogged >= 0) {
            LOG.warn("Admin API: refused {} {} from {} with HTTP {}{} (at most one line a minute)", method, path,
                    ctx.request().remoteAddress(), refusal.get().status(), unlogged == 0 ? "" : " (" + unlogged + " more refused since the last line)");
        }
        ctx.response().setStatusCode(refusal.get().status()).putHeader("Content-Type", "application/json");
        if (refusal.get().status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().end(body(refusal.get().error()));
    }

    private String body(String error) {
        try {
            return json.writeValueAsString(Map.of("error", error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
