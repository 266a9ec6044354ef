package com.plantbridge.sim.maintainx;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;

/**
 * The {@code /v1} pipeline in the order MaintainX's edge applies it: connection faults, rate limit
 * (so even 401s carry and consume quota; per token and per organisation), authentication, then routing.
 */
final class ApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final byte[] NO_BODY = new byte[0];

    private final TokenRegistry tokens;
    private final RateLimiter rateLimiter;
    private final FaultInjector faults;
    private final RequestLog requestLog;
    private final ApiRouter router;
    private final Clock clock;

    ApiHandler(TokenRegistry tokens, RateLimiter rateLimiter, FaultInjector faults, RequestLog requestLog,
               ApiRouter router, Clock clock) {
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.faults = faults;
        this.requestLog = requestLog;
        this.router = router;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Instant received = clock.instant();
        Headers headers = exchange.getRequestHeaders();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String token = TokenRegistry.bearerToken(headers.getFirst("Authorization"));
        String userAgent = headers.getFirst("User-Agent");
        String organizationHeader = headers.getFirst("x-organization-id");

        byte[] body = readBody(exchange);
        if (faults.takeDrop()) {
            LOG.debug("Dropping connection for {} {} as requested by the test", method, path);
            requestLog.add(new RequestRecord(received, method, path, RequestRecord.DROPPED, 0, token, userAgent,
                    organizationHeader));
            // Closing before sendResponseHeaders makes the JDK server close the socket without an answer.
            exchange.close();
            return;
        }

        RateLimiter.Decision quota = rateLimiter.acquire(token == null ? "" : token, tokens.organizationOf(token, organizationHeader),
                System.nanoTime());
        ApiResponse response = respondTo(method, path, exchange.getRequestURI().getRawQuery(), body, token,
                organizationHeader, userAgent, quota);

        Headers out = exchange.getResponseHeaders();
        out.set("X-Rate-Limit-Limit", Long.toString(quota.limit()));
        out.set("X-Rate-Limit-Remaining", Long.toString(quota.remaining()));
        out.set("X-Rate-Limit-Reset", Long.toString(quota.resetSeconds()));
        requestLog.add(new RequestRecord(received, method, path, response.status(), response.readingCount(), token,
                userAgent, organizationHeader));
        LOG.debug("{} {} -> {} ({} readings)", method, path, response.status(), response.readingCount());
        HttpResponder.send(exchange, response.status(), HttpResponder.JSON, Json.write(response.body()));
    }

    private ApiResponse respondTo(String method, String path, String rawQuery, byte[] body, String token,
                                  String organizationHeader, String userAgent, RateLimiter.Decision quota) {
        if (!quota.allowed()) {
            return ApiResponse.error(429, "Too Many Requests. Limited to " + quota.limit()
                    + " requests per window; retry in " + quota.resetSeconds() + "s.");
        }
        TokenRegistry.Authentication auth = tokens.authenticate(token, organizationHeader, userAgent);
        if (auth.rejection() != null) {
            return auth.rejection();
        }
        try {
            return router.route(auth.caller(), method, path, new QueryParams(rawQuery), body);
        } catch (RuntimeException e) {
            LOG.warn("Sandbox failed on {} {}", method, path, e);
            return ApiResponse.error(500, "Internal Server Error");
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            return body.length == 0 ? NO_BODY : body;
        }
    }
}
