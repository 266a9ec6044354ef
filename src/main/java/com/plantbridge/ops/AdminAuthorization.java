package com.plantbridge.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.ops.RefusedCalls.Reason;
import com.plantbridge.peer.PeerInbound;
import com.plantbridge.settings.Secret;

/**
 * The admin port's authorization, in front of every route of its router, default deny: a request
 * target that is not canonical gets 400 ({@link CanonicalRequest}); a method and path not declared
 * in {@link AdminApi} 404 or 405; an admin call needs {@code Authorization: Bearer <bridge.admin.token>}
 * (compared in constant time) before its body is read; a body over the route's limit gets 413; a peer
 * call needs fresh signature headers before its body is read and a valid signature over it before its
 * route runs ({@link PeerInbound}, {@link #dispatchCheck()}); and the route that runs must be the one
 * decided on. The check this replaces
 * decided on the raw path with a prefix test on /api/peer/ while the router matched the normalized
 * path, so any spelling like /api/peer/../module/disable passed without a token.
 */
public final class AdminAuthorization {

    public static final String TOKEN_KEY = "bridge.admin.token";
    private static final String DECISION = "adminAuthorization.decision";   // a routing-context key, not a setting
    private static final Logger LOG = LoggerFactory.getLogger(AdminAuthorization.class);

    private final byte[] tokenDigest;
    private final ObjectMapper json;
    private final RefusedCalls refused;
    private final Map<Long, BodyHandler> bodyReaders = new ConcurrentHashMap<>();
    private volatile PeerInbound peers;
    private Router installedOn;

    public AdminAuthorization(Secret token, Clock clock, ObjectMapper json) {
        this.json = json;
        this.tokenDigest = token.isEmpty() ? null : sha256(token.reveal());
        this.refused = new RefusedCalls(clock);
    }

    public boolean isTokenConfigured() {
        return tokenDigest != null;
    }

    /** Admin calls refused (a peer's bad signatures are counted by the peer link). */
    public long refusedCalls() {
        return refused.adminCalls();
    }

    public RefusedCalls refusals() {
        return refused;
    }

    /** Peer calls are checked with this node's peer link; without one every peer path is refused as not there. */
    public void verifyPeerCallsWith(PeerInbound inbound) {
        this.peers = inbound;
    }

    /** Puts the checks in front of every route of the admin router, once. */
    synchronized void installOn(Router router) {
        if (installedOn == router) {
            return;
        }
        if (installedOn != null) {
            throw new IllegalStateException("the admin authorization is already in front of another router");
        }
        router.route().order(Integer.MIN_VALUE).handler(this::decide).failureHandler(this::failed);
        installedOn = router;
    }

    /**
     * Reads a request's body within its route's limit (413 beyond it, counted), in the place of Camel's
     * own body handler: that one takes one limit for every route (camel.server.max-body-size), so a
     * GET of the status page could make the node hold a body of the settings routes' size.
     */
    Handler<RoutingContext> bodyReader() {
        return ctx -> {
            AdminApi.Route route = ctx.get(DECISION);
            long limit = route == null ? 0 : route.maxBodyBytes();
            bodyReaders.computeIfAbsent(limit, l -> BodyHandler.create(false).setBodyLimit(l).setMergeFormAttributes(false)).handle(ctx);
        };
    }

    /**
     * Run by every admin route after its body was read and before its consumer: the route the
     * router dispatched must be the one decided on, and a peer call's signature must verify over the body.
     */
    Handler<RoutingContext> dispatchCheck() {
        return ctx -> {
            AdminApi.Route decided = ctx.get(DECISION);
            if (decided == null || !decided.path().equals(ctx.currentRoute().getPath()) || !decided.method().equals(ctx.request().method().name())) {
                LOG.error("Admin port: route {} was dispatched for {} {}, which the authorization decided as {}; refused",
                        ctx.currentRoute().getPath(), ctx.request().method(), RefusedCalls.printable(ctx.request().uri()), decided);
                answer(ctx, 500, "internal error; see the node's log");
                return;
            }
            if (decided.access() != AdminApi.Access.PEER) {
                ctx.next();
                return;
            }
            HttpServerRequest request = ctx.request();
            Buffer body = ctx.body().buffer();
            // An HMAC over a settings document takes a while: off the event loop, as the route itself runs.
            ctx.vertx().executeBlocking(() -> peers.verify(decided.method(), decided.path(), request::getHeader,
                    body == null ? new byte[0] : body.getBytes(), String.valueOf(request.remoteAddress())), false).onComplete(verdict -> {
                        if (verdict.failed()) {
                            ctx.fail(verdict.cause());
                        } else if (verdict.result().isPresent()) {
                            refusePeer(ctx, verdict.result().get());
                        } else {
                            ctx.next();
                        }
                    });
        };
    }

    /** The token check of an admin call: empty when the header carries the right token. */
    Optional<Reason> checkToken(String authorization) {
        if (tokenDigest == null) {
            return Optional.of(Reason.TOKEN_NOT_CONFIGURED);
        }
        String given = authorization == null ? null : authorization.strip();
        if (given == null || given.length() < 7 || !given.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(Reason.TOKEN_MISSING);
        }
        // Digests of equal length, compared in constant time: neither the token nor its length leaks through timing.
        return MessageDigest.isEqual(tokenDigest, sha256(given.substring(7).strip())) ? Optional.empty() : Optional.of(Reason.TOKEN_WRONG);
    }

    private void decide(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String method = request.method().name();
        Optional<String> problem = CanonicalRequest.problem(request.uri());
        if (problem.isPresent()) {
            refuse(ctx, Reason.NON_CANONICAL, problem.get() + "; nothing was done");
            return;
        }
        String path = request.path();
        if (!path.equals(ctx.normalizedPath())) {
            refuse(ctx, Reason.NON_CANONICAL, "the path is not in canonical form; nothing was done");
            return;
        }
        Optional<AdminApi.Route> route = AdminApi.find(method, path);
        if (route.isEmpty()) {
            String allowed = AdminApi.methods(path);
            if (allowed.isEmpty()) {
                refuse(ctx, Reason.NOT_DECLARED, "no route " + path + " on this node");
            } else {
                ctx.response().putHeader("Allow", allowed);
                refuse(ctx, Reason.METHOD_NOT_ALLOWED, path + " takes " + allowed + " only");
            }
            return;
        }
        if (route.get().access() == AdminApi.Access.ADMIN) {
            Optional<Reason> bad = checkToken(request.getHeader("Authorization"));
            if (bad.isPresent()) {
                if (bad.get() != Reason.TOKEN_NOT_CONFIGURED) {
                    ctx.response().putHeader("WWW-Authenticate", "Bearer");
                }
                refuse(ctx, bad.get(), tokenProblem(bad.get()));
                return;
            }
        }
        if (route.get().access() == AdminApi.Access.PEER) {
            PeerInbound inbound = peers;
            if (inbound == null) {
                refuse(ctx, Reason.NOT_DECLARED, "this node has no peer (bridge.peer.url is empty)");
                return;
            }
            Optional<PeerInbound.Refusal> unsigned = inbound.screen(path, request::getHeader, String.valueOf(request.remoteAddress()));
            if (unsigned.isPresent()) {
                refusePeer(ctx, unsigned.get());
                return;
            }
        }
        long length = contentLength(request);
        if (length > route.get().maxBodyBytes()) {
            refuse(ctx, Reason.BODY_TOO_LARGE, bodyTooLarge(route.get()));
            return;
        }
        // The token has done its job: it never reaches a Camel message, a tracer or a log.
        try {
            request.headers().remove("Authorization");
        } catch (UnsupportedOperationException e) {
            // read-only headers (HTTP/2): the routes never log headers anyway
        }
        ctx.put(DECISION, route.get());
        ctx.next();
    }

    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413 && !ctx.response().ended()) {
            AdminApi.Route route = ctx.get(DECISION);
            refuse(ctx, Reason.BODY_TOO_LARGE, bodyTooLarge(route));
            return;
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, Reason reason, String message) {
        refused.refused(reason, ctx.request().method().name(), ctx.request().uri(), ctx.request().remoteAddress());
        answer(ctx, reason.status(), message);
    }

    private void refusePeer(RoutingContext ctx, PeerInbound.Refusal refusal) {
        refused.refused(Reason.PEER_SIGNATURE, ctx.request().method().name(), ctx.request().uri(), ctx.request().remoteAddress());
        refusal.headers().forEach(ctx.response()::putHeader);
        // The unread body of a refused request must not be taken for the next request on the connection.
        ctx.response().setStatusCode(refusal.status()).putHeader("Connection", "close").end(Buffer.buffer(refusal.body()));
    }

    private void answer(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close").end(body(message));
    }

    /** The declared length, checked before anything is read; a body sent in chunks is held to the limit as it is read. */
    private static long contentLength(HttpServerRequest request) {
        try {
            String length = request.getHeader("Content-Length");
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String bodyTooLarge(AdminApi.Route route) {
        return "the request body is larger than " + (route == null ? AdminApi.largestBody() : route.maxBodyBytes()) + " bytes; nothing was done";
    }

    private static String tokenProblem(Reason reason) {
        return switch (reason) {
            case TOKEN_NOT_CONFIGURED -> "state-changing admin calls are off on this node: " + TOKEN_KEY
                    + " is not set; set it in config/application.properties (or the environment variable BRIDGE_ADMIN_TOKEN)"
                    + " and send Authorization: Bearer <token>";
            case TOKEN_MISSING -> "this call needs the header Authorization: Bearer <" + TOKEN_KEY + ">";
            default -> "wrong admin token (" + TOKEN_KEY + ")";
        };
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
