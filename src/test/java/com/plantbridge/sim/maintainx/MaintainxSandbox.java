package com.plantbridge.sim.maintainx;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * In-process fake of the MaintainX REST API ({@code /v1}) for demos and integration tests, plus a read-only
 * viewer under {@code /sandbox}. Bound to 127.0.0.1 only. All control methods are thread-safe.
 *
 * <p>Requests are handled on a single thread so the order in {@link #requests()} and {@link #readings()} is the
 * order the server saw them.
 */
public final class MaintainxSandbox implements AutoCloseable {

    /** Organisation of tokens registered with {@link #token(String)}. */
    public static final long DEFAULT_ORGANIZATION_ID = TokenRegistry.DEFAULT_ORGANIZATION_ID;

    private static final Logger LOG = LoggerFactory.getLogger(MaintainxSandbox.class);
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK server flushes headers and body separately; with Nagle on, the body waits for the client's
        // delayed ACK (~40 ms per request). Read once when the JDK server classes load, so it must be set early.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final Clock clock = Clock.systemUTC();
    private final TokenRegistry tokens = new TokenRegistry();
    private final RateLimiter rateLimiter = new RateLimiter();
    private final FaultInjector faults = new FaultInjector();
    private final RequestLog requestLog = new RequestLog();
    private final MeterStore meters = new MeterStore();
    private final ReadingStore readings = new ReadingStore();
    private final MeterReadingsEndpoint meterReadings = new MeterReadingsEndpoint(meters, readings, faults, clock);
    private final AssetStatusEndpoint assetStatus = new AssetStatusEndpoint(faults, clock);
    private final SandboxControls controls = new SandboxControls();
    private final HttpServer server;
    private final ExecutorService executor;

    private MaintainxSandbox(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "maintainx-sandbox");
            thread.setDaemon(true);
            return thread;
        });
        ApiRouter router = new ApiRouter(meterReadings, new MetersEndpoint(meters, readings, faults, clock), assetStatus);
        server.createContext("/v1", new ApiHandler(tokens, rateLimiter, faults, requestLog, router, clock));
        server.createContext("/sandbox", new SandboxViewHandler(readings, meters, requestLog, controls));
        server.setExecutor(executor);
    }

    /** Starts a sandbox on 127.0.0.1; {@code port} 0 picks a free port. */
    public static MaintainxSandbox start(int port) {
        try {
            MaintainxSandbox sandbox = new MaintainxSandbox(port);
            sandbox.server.start();
            LOG.info("MaintainX sandbox listening on {} (viewer at {})", sandbox.baseUrl(), sandbox.viewerUrl());
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start MaintainX sandbox on port " + port, e);
        }
    }

    /** {@code http://127.0.0.1:PORT/v1}, the equivalent of {@code https://api.getmaintainx.com/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** {@code http://127.0.0.1:PORT/sandbox}, the self-refreshing page: a chart per meter, readings marked by sender. */
    public String viewerUrl() {
        return "http://127.0.0.1:" + port() + "/sandbox";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Registers a valid single-organisation token acting in {@link #DEFAULT_ORGANIZATION_ID}. */
    public MaintainxSandbox token(String token) {
        tokens.register(token);
        return this;
    }

    /** Registers a multi-organisation token: requests must send {@code x-organization-id} naming one of these. */
    public MaintainxSandbox token(String token, long... organizationIds) {
        tokens.registerMultiOrganization(token, organizationIds);
        return this;
    }

    /** Pre-creates an AUTOMATED_SENSOR meter visible to every organisation. */
    public MaintainxSandbox meter(long id, String name) {
        meters.put(id, name, "", null, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return this;
    }

    /** Pre-creates an AUTOMATED_SENSOR meter owned by one organisation (404 for the others). */
    public MaintainxSandbox meter(long id, String name, long organizationId) {
        meters.put(id, name, "", organizationId, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return this;
    }

    /** When enabled, readings for unknown meter ids create the meter in the caller's organisation. */
    public MaintainxSandbox autoCreateMeters(boolean enabled) {
        meterReadings.autoCreateMeters(enabled);
        return this;
    }

    /**
     * Per-token fixed window of {@code limit} requests per {@code window}; open windows are discarded. The
     * organisation's shared limit (500 by default) keeps its count and takes the same window.
     */
    public void rateLimit(int limit, Duration window) {
        rateLimiter.configure(limit, window);
    }

    /** All tokens of one organisation together: {@code limit} requests per window (MaintainX: 500 per 60 s). */
    public void organizationRateLimit(int limit) {
        rateLimiter.configureOrganization(limit);
    }

    /** No rate limiting (for benchmarks); headers then report Integer.MAX_VALUE and Reset 0. */
    public void unlimited() {
        rateLimiter.disable();
    }

    /**
     * A button for demos: {@code POST /sandbox/control/<name>} runs {@code action} (e.g. a gateway
     * failover) and answers 204; the sandbox page shows it as a button labelled {@code label}.
     */
    public MaintainxSandbox control(String name, String label, Runnable action) {
        server.createContext("/sandbox/control/" + name, exchange -> {
            try (exchange) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                action.run();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        controls.add(name, label);
        return this;
    }

    /** What the sandbox page shows beside its buttons, asked on every refresh, e.g. each gateway's redundancy. */
    public MaintainxSandbox status(Supplier<Map<String, String>> status) {
        controls.status(status);
        return this;
    }

    /** Later requests with this token answer 401. */
    public void revoke(String token) {
        tokens.revoke(token);
    }

    /** Later requests with this token answer 403. */
    public void forbid(String token) {
        tokens.forbid(token);
    }

    /** The next {@code count} authenticated POST /meterreadings (or /assets/{id}/status) answer {@code status} and store nothing. */
    public void failNext(int count, int status) {
        faults.failNext(count, status);
    }

    /**
     * The next authenticated POST /meterreadings stores nothing and answers {@code status}, after
     * {@code hook} ran (e.g. kills the client while its request is in flight).
     */
    public void failNextThen(int status, Runnable hook) {
        faults.failNextThen(status, hook);
    }

    /**
     * Gives a meter a last reading from before the sandbox started (not in {@link #readings()}),
     * as a real account has: what a node that takes over compares its gateway's values with.
     */
    public MaintainxSandbox history(long meterId, double value, Instant readingDate) {
        readings.seedHistory(new StoredReading("history-" + meterId, meterId, value, readingDate, readingDate, null, null, null));
        return this;
    }

    /** Runs {@code hook} once, after the next batch is stored and before its 201 is answered. */
    public void afterNextStore(Runnable hook) {
        faults.afterNextStore(hook);
    }

    /** The next {@code count} /v1 requests get their connection closed without an answer. */
    public void dropConnectionNext(int count) {
        faults.dropNext(count);
    }

    /** Readings matching {@code predicate} make the whole request a 400 with fieldPath {@code [index]}. */
    public void rejectWhen(Predicate<ReadingInput> predicate, String message) {
        faults.rejectWhen(predicate, message);
    }

    /** All stored readings, oldest first. */
    public List<StoredReading> readings() {
        return readings.all();
    }

    /**
     * Removes and returns the readings stored so far, oldest first, in one step: a long load can count every
     * reading exactly once without the fake holding all of them (nothing arrives between the read and the clear).
     */
    public List<StoredReading> takeReadings() {
        return readings.takeAll();
    }

    public List<StoredReading> readings(long meterId) {
        return readings.forMeter(meterId);
    }

    /** Every /v1 request in arrival order (the /sandbox viewer is not logged). */
    public List<RequestRecord> requests() {
        return requestLog.all();
    }

    public int tooManyRequestsCount() {
        return requestLog.tooManyRequests();
    }

    /** Latest status posted for an asset, or null. */
    public String assetStatus(long assetId) {
        return assetStatus.latest(assetId);
    }

    /** Every status posted for an asset, oldest first. */
    public List<AssetStatusChange> assetStatuses(long assetId) {
        return assetStatus.all().stream().filter(s -> s.assetId() == assetId).toList();
    }

    /**
     * Registers an asset: once any is registered, a status for an asset that is not answers 404
     * {@code asset Not Found}, as MaintainX does; before, every asset id exists.
     */
    public MaintainxSandbox asset(long assetId) {
        assetStatus.asset(assetId);
        return this;
    }

    /** A meter as the sandbox holds it. */
    public record MeterInfo(long id, String name, String unit, String measurementType, Long assetId) {
    }

    /** Every meter, pre-created or created through {@code POST /meters}, by id. */
    public List<MeterInfo> meters() {
        return meters.all().stream().map(m -> new MeterInfo(m.id(), m.name(), m.unit(), m.measurementType(), m.assetId())).toList();
    }

    /** Meters with exactly this name. */
    public List<MeterInfo> metersNamed(String name) {
        return meters().stream().filter(m -> name.equals(m.name())).toList();
    }

    /** The next {@code count} authenticated POST /meters answer {@code status} and create nothing. */
    public void failNextMeterCreates(int count, int status) {
        faults.failNextMeterCreates(count, status);
    }

    /** Runs {@code hook} once, after the next meter is created and before its 201 is answered (e.g. kills the client). */
    public void afterNextMeterCreate(Runnable hook) {
        faults.afterNextMeterCreate(hook);
    }

    /**
     * Clears readings, the request log, the 429 count, open rate-limit windows, asset statuses and all armed
     * faults; tokens, meters and the rate-limit configuration stay.
     */
    public void reset() {
        readings.clear();
        requestLog.clear();
        rateLimiter.clear();
        faults.clear();
        assetStatus.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        LOG.info("MaintainX sandbox on port {} stopped", server.getAddress().getPort());
    }
}
