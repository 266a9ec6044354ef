package com.plantbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.TestNode;

/**
 * The benchmark (not a test: surefire excludes *Benchmark*). Everything runs on 127.0.0.1 in
 * this JVM (simulated gateways, MaintainX fake, nodes), except the start-up/heap node, which runs in a
 * child JVM so that its heap is its own. Run with {@code mvn -q -Pbench -DbuildDirectory=... test-compile exec:exec}
 * ({@code -Dbench.args=--quick} for a short run). Prints a Markdown table and writes it into BENCHMARKS.md
 * between the {@code bench:begin}/{@code bench:end} markers.
 */
public final class BridgeBenchmark {

    static final String NAMESPACE = SimulatedGateway.TAG_NAMESPACE_URI;
    static final long FIRST_METER = 100_000;
    static final int TAGS_PER_CONNECTOR = 5_000;
    static final int BATCH_SIZE = 500;
    static final int BATCH_DELAY_MS = 200;
    static final int POLL_MS = 500;
    static final int LATENCY_RATE = 1_000;
    static final int LATENCY_TAGS = 6_000;
    /** A small connector shows the reconnect itself; a full one adds the server's work of creating 6,000 items. */
    static final int[] RECONNECT_TAGS = {100, 6_000};
    static final int BACKLOG_LIMIT = 10;
    static final Duration BACKLOG_WINDOW = Duration.ofSeconds(6);
    static final int BACKLOG_TAGS = 1_000;
    static final int BACKLOG_RATE = 2_000;
    static final long MAX_OUTSTANDING = 10_000;
    /** The throughput point the scale rows repeat the ratio of. */
    static final int SCALE_RATIO_TAGS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Mode(String name, int warmupSeconds, int runs, int runSeconds, int latencyRuns, int latencySeconds,
                        int failoverRuns, int childRuns, int backlogWindows, int[] tagCounts, int reconnectRuns, int reconnectDownSeconds,
                        int scaleRuns, int scaleLoadSeconds) {
    }

    private static final Mode FULL = new Mode("full", 4, 5, 6, 5, 5, 5, 3, 4, new int[] {1_000, 6_000, 20_000}, 7, 10, 3, 60);
    private static final Mode QUICK = new Mode("quick", 2, 3, 2, 3, 3, 3, 1, 2, new int[] {1_000, 6_000, 20_000}, 5, 10, 1, 15);

    private final Mode mode;
    private final Set<String> only;
    private final Path work;
    private final List<String> takeoverModes;
    private final Map<String, Stats> results = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private SimulatedGateway gateway;
    private MaintainxSandbox sandbox;
    private List<String> paths;
    private StoredCounter counter;

    private BridgeBenchmark(Mode mode, Set<String> only, List<String> takeoverModes, Path work) {
        this.takeoverModes = takeoverModes;
        this.mode = mode;
        this.only = only;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        // Log4j's default selector finds the caller's class loader by walking the stack on every
        // LoggerFactory.getLogger; Milo 1.0.8's server creates an address-space fragment (and a logger) for each
        // node it looks up, so creating 120,000 monitored items spent about a third of the simulator's CPU in that
        // walk (JFR). One logger context for the whole flat class path skips it. Must be set before Log4j starts.
        System.setProperty("log4j2.contextSelector", "org.apache.logging.log4j.core.selector.BasicContextSelector");
        quietLogs();
        Mode mode = FULL;
        Path out = Path.of("BENCHMARKS.md");
        Set<String> only = new LinkedHashSet<>(List.of("throughput", "failover", "reconnect", "startup", "backlog", "outbox", "scale", "takeover"));
        List<String> takeoverModes = TakeoverSection.MODES;
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            if (arg.equals("--quick")) {
                mode = QUICK;
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring(6));
            } else if (arg.startsWith("--only=")) {
                only = new LinkedHashSet<>(List.of(arg.substring(7).split(",")));
            } else if (arg.startsWith("--takeover-modes=")) {
                takeoverModes = List.of(arg.substring(17).split(","));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (use --quick, --out=FILE, --only=throughput,failover,reconnect,startup,backlog,outbox,scale,takeover,"
                        + " --takeover-modes=tokens,shared)");
            }
        }
        Path work = Files.createTempDirectory("bridge-bench");
        long started = System.nanoTime();
        BridgeBenchmark bench = new BridgeBenchmark(mode, only, takeoverModes, work);
        try {
            bench.run();
        } finally {
            bench.close();
        }
        String table = bench.table(Duration.ofNanos(System.nanoTime() - started));
        System.out.println();
        System.out.println(table);
        writeInto(out, table);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0);
    }

    static void quietLogs() {
        Configurator.setLevel("com.plantbridge", Level.WARN);
        Configurator.setLevel("org.apache.camel", Level.WARN);
        Configurator.setLevel("org.eclipse.milo", Level.ERROR);
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    // ------------------------------------------------------------------ driver

    private void run() throws Exception {
        int maxTags = 0;
        for (int n : mode.tagCounts()) {
            maxTags = Math.max(maxTags, n);
        }
        maxTags = Math.max(maxTags, LATENCY_TAGS);
        log("mode %s, work dir %s; starting a simulated gateway with %d tags", mode.name(), work, maxTags);
        gateway = SimulatedGateway.builder().name("bench").start();
        sandbox = MaintainxSandbox.start(0);
        sandbox.unlimited();
        counter = new StoredCounter(sandbox);
        paths = new ArrayList<>(maxTags);
        Instant old = Instant.now().minusSeconds(600);
        for (int i = 0; i < maxTags; i++) {
            String path = String.format("[default]Bench/T%05d", i);
            paths.add(path);
            gateway.addTag(path, 0.0);
            gateway.writeTag(path, 0.0, StatusCodes.Good, old);
            sandbox.meter(FIRST_METER + i, path);
        }
        TagWriter.changeLog(gateway).clear();
        for (int c = 0; c < 4; c++) {
            sandbox.token("bench-" + c);
        }
        if (only.contains("throughput")) {
            for (int n : mode.tagCounts()) {
                throughputAt(n);
            }
        }
        if (only.contains("failover")) {
            failover();
        }
        if (only.contains("reconnect")) {
            for (int n : RECONNECT_TAGS) {
                reconnect(n);
            }
        }
        if (only.contains("startup")) {
            startupAndHeap();
        }
        if (only.contains("backlog")) {
            backlog();
        }
        if (only.contains("outbox")) {
            outbox();
        }
        if (only.contains("scale")) {
            if (!results.containsKey("ratio." + SCALE_RATIO_TAGS)) {
                // The scale rows report the throughput section's ratio; measured here when that section was not run.
                log("scale: measuring the throughput ratio at %,d tags (the throughput section was not run)", SCALE_RATIO_TAGS);
                throughputAt(SCALE_RATIO_TAGS);
            }
            new ScaleSection(work, mode.scaleRuns(), mode.scaleLoadSeconds(), results, notes).run();
        }
        if (only.contains("takeover")) {
            new TakeoverSection(work, takeoverConnectors(), takeoverTagsPerConnector(), results, notes).run(takeoverModes);
        }
    }

    /** The takeover section runs at the module's full scale; --quick keeps the 20 connectors with 300 tags each. */
    private int takeoverConnectors() {
        return ScaleSection.CONNECTORS;
    }

    private int takeoverTagsPerConnector() {
        return mode == QUICK ? 300 : ScaleSection.TAGS_PER_CONNECTOR;
    }

    private void close() {
        if (gateway != null) {
            gateway.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    // ------------------------------------------------------------------ (1)(2)(3) throughput and latency

    private void throughputAt(int n) throws Exception {
        List<String> tags = paths.subList(0, n);
        // The bridge.
        long t0 = System.nanoTime();
        TestNode node = nodeBuilder(work.resolve("node-" + n), n, gateway.opcUaEndpoint(), gateway.gatewayUrl(), sandbox.baseUrl(), "bench-").start();
        try {
            awaitReady(node.adminUrl(), Duration.ofSeconds(90));
            double startup = (System.nanoTime() - t0) / 1e9;
            results.computeIfAbsent("startupWarm." + n, k -> new Stats()).add(startup);
            log("bridge, %d tags: leader and subscribed after %.2f s (in-process, warm JVM)", n, startup);
            if (n == LATENCY_TAGS) {
                latency("bridge", tags);
            }
            saturate("bridge", n, tags, () -> pending(node.adminUrl()) == 0);
        } finally {
            node.close();
        }
        awaitNoMonitoredItems();
        // The plain Milo client.
        Map<String, Long> meters = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            meters.put(tags.get(i), FIRST_METER + i);
        }
        t0 = System.nanoTime();
        try (RawMiloClient raw = new RawMiloClient(gateway.opcUaEndpoint(), NAMESPACE, meters, sandbox.baseUrl(), "bench-0", BATCH_SIZE, BATCH_DELAY_MS)) {
            double startup = (System.nanoTime() - t0) / 1e9;
            results.computeIfAbsent("startupRaw." + n, k -> new Stats()).add(startup);
            log("raw Milo client, %d tags: subscribed after %.2f s", n, startup);
            if (n == LATENCY_TAGS) {
                latency("raw", tags);
            }
            saturate("raw", n, tags, () -> true);
            if (raw.failures() > 0) {
                notes.add("raw client had " + raw.failures() + " failed posts at " + n + " tags");
            }
        }
        awaitNoMonitoredItems();
        Stats bridge = results.get("throughput.bridge." + n);
        Stats raw = results.get("throughput.raw." + n);
        Stats ratio = new Stats();
        for (int i = 0; i < Math.min(bridge.count(), raw.count()); i++) {
            ratio.add(bridge.values().get(i) / raw.values().get(i));
        }
        results.put("ratio." + n, ratio);
    }

    /**
     * Closed loop: the writer goes as fast as it can while at most {@link #MAX_OUTSTANDING} changes are
     * written but not yet stored by the fake; throughput = readings the fake stored per second, per run.
     */
    private void saturate(String who, int n, List<String> tags, BooleanSupplier drained) throws Exception {
        Stats delivered = results.computeIfAbsent("throughput." + who + "." + n, k -> new Stats());
        Stats offered = results.computeIfAbsent("offered." + who + "." + n, k -> new Stats());
        counter.reset();
        try (TagWriter writer = new TagWriter(List.of(gateway), tags, counter::stored, MAX_OUTSTANDING)) {
            Thread.sleep(mode.warmupSeconds() * 1000L);
            for (int r = 0; r < mode.runs(); r++) {
                counter.reset();
                long w0 = writer.written();
                long s0 = counter.stored();
                long n0 = System.nanoTime();
                Thread.sleep(mode.runSeconds() * 1000L);
                long w1 = writer.written();
                long s1 = counter.stored();
                double seconds = (System.nanoTime() - n0) / 1e9;
                delivered.add((s1 - s0) / seconds);
                offered.add((w1 - w0) / seconds);
                log("%s, %d tags, run %d: %,.0f readings/s stored (%,.0f changes/s written)", who, n, r + 1, (s1 - s0) / seconds, (w1 - w0) / seconds);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!drained.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(BATCH_DELAY_MS + 500L);
        counter.reset();
    }

    /** A paced load well below saturation; latency = fake's createdAt - the change's source time. */
    private void latency(String who, List<String> tags) throws Exception {
        Stats p50 = results.computeIfAbsent("latency50." + who, k -> new Stats());
        Stats p99 = results.computeIfAbsent("latency99." + who, k -> new Stats());
        Stats lost = results.computeIfAbsent("latencyLost." + who, k -> new Stats());
        for (int r = -1; r < mode.latencyRuns(); r++) {
            sandbox.reset();
            long written;
            Instant from = Instant.now();
            try (TagWriter writer = new TagWriter(List.of(gateway), tags, LATENCY_RATE)) {
                Thread.sleep(mode.latencySeconds() * 1000L);
                written = writer.written();
            }
            Thread.sleep(BATCH_DELAY_MS + 1_500L);
            List<StoredReading> readings = sandbox.readings();
            long[] ms = new long[readings.size()];
            int k = 0;
            for (StoredReading reading : readings) {
                if (reading.readingDate() != null && !reading.readingDate().isBefore(from)) {
                    ms[k++] = Duration.between(reading.readingDate(), reading.createdAt()).toMillis();
                }
            }
            long[] samples = java.util.Arrays.copyOf(ms, k);
            double a = Stats.percentileLong(samples, 50);
            double b = Stats.percentileLong(samples, 99);
            log("%s latency run %s at %d changes/s over %d tags: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d changes stored)",
                    who, r < 0 ? "warm-up" : String.valueOf(r + 1), LATENCY_RATE, tags.size(), a, b, Stats.percentileLong(samples, 100), k, written);
            if (r >= 0) {
                p50.add(a);
                p99.add(b);
                lost.add(Math.max(0, written - k));
            }
        }
        sandbox.reset();
    }

    private void awaitNoMonitoredItems() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (gateway.monitoredItemCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    // ------------------------------------------------------------------ (4) failover

    private void failover() throws Exception {
        Stats overhead = results.computeIfAbsent("failover.overhead", k -> new Stats());
        Stats total = results.computeIfAbsent("failover.total", k -> new Stats());
        Stats detect = results.computeIfAbsent("failover.detect", k -> new Stats());
        Stats subscribe = results.computeIfAbsent("failover.subscribe", k -> new Stats());
        Stats send = results.computeIfAbsent("failover.send", k -> new Stats());
        try (PairFixture pair = new PairFixture(work.resolve("pair"), "gwinfo", "ignition.redundancy.poll-interval", POLL_MS)) {
            pair.awaitSoleLeader(pair.masterNode);
            List<SimulatedGateway> both = List.of(pair.gateways.master(), pair.gateways.backup());
            for (int r = -1; r < mode.failoverRuns(); r++) {
                pair.sandbox.reset();
                try (TagWriter writer = new TagWriter(both, List.of(pair.tagPath), 100)) {
                    Thread.sleep(1_000);
                    Instant switched = Instant.now();
                    pair.gateways.failover();
                    Instant led = null;
                    Instant subscribed = null;
                    Instant first = null;
                    List<String> reasons = new ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (first == null && System.nanoTime() < deadline) {
                        JsonNode status = pair.backupNode.status();
                        JsonNode redundancy = status.get("redundancy");
                        String reason = redundancy.get("reason").asText();
                        if (reasons.isEmpty() || !reasons.get(reasons.size() - 1).equals(reason)) {
                            reasons.add(reason);
                        }
                        if (led == null && redundancy.get("leader").asBoolean()) {
                            led = Instant.parse(redundancy.get("since").asText());
                        }
                        if (led != null && subscribed == null && status.get("connectors").get(0).get("subscribed").asBoolean()) {
                            subscribed = Instant.now();
                        }
                        for (StoredReading reading : pair.sandbox.readings(pair.meterId)) {
                            if (reading.userAgent() != null && reading.userAgent().contains("backup-node") && !reading.createdAt().isBefore(switched)) {
                                first = reading.createdAt();
                                break;
                            }
                        }
                        if (first == null) {
                            Thread.sleep(10);
                        }
                    }
                    if (first == null || led == null) {
                        String note = "failover run " + (r + 1) + ": no reading from the new leader within 20 s of the switch; backup said "
                                + reasons + "; backup connector status: " + pair.backupNode.status().get("connectors").get(0)
                                + "; fake holds " + pair.sandbox.readings(pair.meterId).size() + " readings of the meter";
                        log("%s", note);
                        notes.add(note);
                        results.computeIfAbsent("failover.failed", k -> new Stats()).add(1);
                        pair.gateways.failback();
                        pair.awaitSoleLeader(pair.masterNode);
                        continue;
                    }
                    if (subscribed == null) {
                        subscribed = led;
                    }
                    long totalMs = Duration.between(switched, first).toMillis();
                    log("failover %s: first reading from the new leader after %d ms (leader after %d ms, subscribed +%d ms, sent +%d ms); backup said %s",
                            r < 0 ? "warm-up" : String.valueOf(r + 1), totalMs, Duration.between(switched, led).toMillis(),
                            Duration.between(led, subscribed).toMillis(), Duration.between(subscribed, first).toMillis(), reasons);
                    if (r >= 0) {
                        total.add(totalMs);
                        overhead.add(totalMs - POLL_MS);
                        detect.add(Duration.between(switched, led).toMillis());
                        subscribe.add(Duration.between(led, subscribed).toMillis());
                        send.add(Duration.between(subscribed, first).toMillis());
                    }
                    pair.gateways.failback();
                    pair.awaitSoleLeader(pair.masterNode);
                }
            }
        }
    }

    // ------------------------------------------------------------------ (4r) reconnect after a gateway restart

    /**
     * The gateway's OPC UA server stops for {@code reconnectDownSeconds} (long enough for Milo's own backoff to
     * have grown to 8-16 s) and starts again on the same port, while the node leads with {@code n} tags in one
     * connector. Measured from the moment the server listens: session active, every tag subscribed again, and
     * the first change written after that stored at the fake (a writer changes one tag every 20 ms).
     */
    private void reconnect(int n) throws Exception {
        Stats session = results.computeIfAbsent("reconnect.session." + n, k -> new Stats());
        Stats subscribed = results.computeIfAbsent("reconnect.subscribed." + n, k -> new Stats());
        Stats stored = results.computeIfAbsent("reconnect.stored." + n, k -> new Stats());
        String probe = paths.get(0);
        TestNode node = nodeBuilder(work.resolve("reconnect-" + n), n, gateway.opcUaEndpoint(), gateway.gatewayUrl(), sandbox.baseUrl(), "bench-").start();
        try {
            awaitReady(node.adminUrl(), Duration.ofSeconds(90));
            for (int r = 0; r < mode.reconnectRuns(); r++) {
                gateway.stopOpcUa();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (sessionActive(node.adminUrl()) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(mode.reconnectDownSeconds() * 1000L);
                sandbox.reset();
                gateway.startOpcUa();
                long listening = System.nanoTime();
                Instant listeningAt = Instant.now();
                Double sessionMs = null;
                Double subscribedMs = null;
                Double storedMs = null;
                try (TagWriter writer = new TagWriter(List.of(gateway), List.of(probe), 50)) {
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while ((subscribedMs == null || storedMs == null) && System.nanoTime() < deadline) {
                        JsonNode status = status(node.adminUrl());
                        double ms = (System.nanoTime() - listening) / 1e6;
                        if (sessionMs == null && status != null && status.get("opcua").get("sessionActive").asBoolean()) {
                            sessionMs = ms;
                        }
                        if (subscribedMs == null && status != null && status.get("connectors").get(0).get("subscribed").asBoolean()) {
                            subscribedMs = ms;
                        }
                        if (storedMs == null) {
                            for (StoredReading reading : sandbox.readings(FIRST_METER)) {
                                if (!reading.readingDate().isBefore(listeningAt)) {
                                    storedMs = (double) Duration.between(listeningAt, reading.createdAt()).toMillis();
                                    break;
                                }
                            }
                        }
                        Thread.sleep(5);
                    }
                }
                log("reconnect run %d after %d s down, %d tags: session +%s ms, all tags subscribed +%s ms, first new change stored +%s ms",
                        r + 1, mode.reconnectDownSeconds(), n, fmt(sessionMs), fmt(subscribedMs), fmt(storedMs));
                if (sessionMs == null || subscribedMs == null || storedMs == null) {
                    notes.add("reconnect run " + (r + 1) + ": not back within 30 s of the server listening");
                    continue;
                }
                session.add(sessionMs);
                subscribed.add(subscribedMs);
                stored.add(storedMs);
            }
        } finally {
            node.close();
        }
        awaitNoMonitoredItems();
        sandbox.reset();
    }

    private static String fmt(Double ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.0f", ms);
    }

    private static boolean sessionActive(String adminUrl) {
        JsonNode status = status(adminUrl);
        return status != null && status.get("opcua").get("sessionActive").asBoolean();
    }

    // ------------------------------------------------------------------ (5)(6) start-up and heap, child JVM

    private void startupAndHeap() throws Exception {
        int n = 6_000;
        Stats cold = results.computeIfAbsent("startupCold." + n, k -> new Stats());
        Stats heapIdle = results.computeIfAbsent("heapIdle." + n, k -> new Stats());
        Stats heapBusy = results.computeIfAbsent("heapBusy." + n, k -> new Stats());
        for (int r = 0; r < mode.childRuns(); r++) {
            sandbox.reset();
            try (BenchChild child = BenchChild.launch(work.resolve("child-" + r), settingsYaml(n, "bench-"), List.of(),
                    nodeProperties(gateway.opcUaEndpoint(), gateway.gatewayUrl(), sandbox.baseUrl()))) {
                String adminUrl = child.adminUrl();
                awaitReady(adminUrl, Duration.ofSeconds(90));
                double startup = child.secondsSinceLaunch();
                String started = child.awaitLine("started", Duration.ofSeconds(30));
                cold.add(startup);
                long idle = child.heapAfterGc();
                heapIdle.add(idle / 1048576.0);
                // Traffic: each tag changes once, then the heap again once all is delivered.
                try (TagWriter writer = new TagWriter(List.of(gateway), paths.subList(0, n), 2_000)) {
                    Thread.sleep(n / 2 + 500L);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (pending(adminUrl) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                long busy = child.heapAfterGc();
                heapBusy.add(busy / 1048576.0);
                log("child JVM %d, %d tags: leader and subscribed %.2f s after launch (%s); heap after GC %.1f MB idle, %.1f MB after %d changes",
                        r + 1, n, startup, started, idle / 1048576.0, busy / 1048576.0, sandbox.readings().size());
            }
            awaitNoMonitoredItems();
        }
        sandbox.reset();
    }

    // ------------------------------------------------------------------ (7) backlog under the rate limit

    private void backlog() throws Exception {
        Stats perRequest = results.computeIfAbsent("backlog.perRequest", k -> new Stats());
        Stats perWindow = results.computeIfAbsent("backlog.perWindow", k -> new Stats());
        Stats used = results.computeIfAbsent("backlog.used", k -> new Stats());
        Stats tooMany = results.computeIfAbsent("backlog.429", k -> new Stats());
        MaintainxSandbox limited = MaintainxSandbox.start(0).token("bench-0");
        for (int i = 0; i < BACKLOG_TAGS; i++) {
            limited.meter(FIRST_METER + i, paths.get(i));
        }
        limited.rateLimit(BACKLOG_LIMIT, BACKLOG_WINDOW);
        long windowMs = BACKLOG_WINDOW.toMillis();
        TestNode.Builder builder = nodeBuilder(work.resolve("backlog"), BACKLOG_TAGS, gateway.opcUaEndpoint(), gateway.gatewayUrl(), limited.baseUrl(), "bench-")
                .property("maintainx.rate-limit.requests", BACKLOG_LIMIT)
                .property("maintainx.rate-limit.window", windowMs);
        try (TestNode node = builder.start()) {
            awaitReady(node.adminUrl(), Duration.ofSeconds(60));
            int windows = mode.backlogWindows();
            try (TagWriter writer = new TagWriter(List.of(gateway), paths.subList(0, BACKLOG_TAGS), BACKLOG_RATE)) {
                long deadline = System.nanoTime() + windowMs * 1_000_000L * (windows + 3);
                while (System.nanoTime() < deadline) {
                    List<RequestRecord> posts = posts(limited);
                    if (!posts.isEmpty() && Instant.now().isAfter(posts.get(0).time().plusMillis(windowMs * (windows + 1) + 1_500))) {
                        break;
                    }
                    Thread.sleep(200);
                }
            }
            List<RequestRecord> posts = posts(limited);
            if (posts.size() <= BACKLOG_LIMIT) {
                throw new IllegalStateException("backlog: only " + posts.size() + " requests");
            }
            // The fake's windows are fixed: one opens at the first request after the previous one expired. The
            // first window is skipped (backlog building; the node also spends requests on GET /meters there);
            // in each following window every /v1 request counts against the budget, POSTs carry the readings.
            List<RequestRecord> all = limited.requests();
            Instant from = firstAtOrAfter(all, all.get(0).time().plusMillis(windowMs));
            int measured = 0;
            for (int w = 0; w < windows && from != null; w++) {
                Instant to = from.plusMillis(windowMs);
                int count = 0;
                for (RequestRecord request : all) {
                    if (!request.time().isBefore(from) && request.time().isBefore(to)) {
                        count++;
                        if (request.method().equals("POST")) {
                            perRequest.add(request.readingCount());
                        }
                    }
                }
                measured += count;
                perWindow.add(count);
                from = firstAtOrAfter(all, to);
            }
            used.add(100.0 * measured / (windows * BACKLOG_LIMIT));
            StringBuilder times = new StringBuilder();
            for (RequestRecord post : limited.requests()) {
                times.append(String.format(Locale.ROOT, " %.2f", Duration.between(posts.get(0).time(), post.time()).toMillis() / 1000.0));
            }
            log("backlog: request times (s after the first):%s", times);
            tooMany.add(limited.tooManyRequestsCount());
            log("backlog: %d requests in %d windows of %d ms (allowed %d), readings/request median %.0f (min %.0f), 429s: %d, node pending at end: %d",
                    measured, windows, windowMs, windows * BACKLOG_LIMIT, perRequest.median(), perRequest.min(), limited.tooManyRequestsCount(),
                    pending(node.adminUrl()));
        } finally {
            limited.close();
            awaitNoMonitoredItems();
        }
    }

    private static Instant firstAtOrAfter(List<RequestRecord> requests, Instant time) {
        for (RequestRecord request : requests) {
            if (!request.time().isBefore(time)) {
                return request.time();
            }
        }
        return null;
    }

    private static List<RequestRecord> posts(MaintainxSandbox fake) {
        return fake.requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/meterreadings")).toList();
    }

    // ------------------------------------------------------------------ outbox

    /**
     * Outbox append throughput (the durable write every accepted reading waits for), measured on the
     * node's own Outbox class in this JVM; and the drain rate after an outage: the fake answers 503 while
     * readings accumulate, then recovers, and the rate at which the node empties its outbox is measured.
     */
    private void outbox() throws Exception {
        Stats appends = results.computeIfAbsent("outbox.append", k -> new Stats());
        int count = mode == QUICK ? 5_000 : 20_000;
        for (int r = -1; r < mode.runs(); r++) {
            Path dir = work.resolve("outbox-" + (r + 1));
            com.plantbridge.outbox.Outbox outbox = new com.plantbridge.outbox.Outbox(dir, 10_000_000);
            outbox.start();
            try {
                Instant date = Instant.now();
                long t0 = System.nanoTime();
                // Readings reach the outbox one server notification at a time; 100 per notification here.
                List<com.plantbridge.reading.MeterReading> notification = new ArrayList<>(100);
                for (int i = 0; i < count; i++) {
                    notification.add(new com.plantbridge.reading.MeterReading("bench-0", paths.get(i % paths.size()), FIRST_METER + i % paths.size(), i, date));
                    if (notification.size() == 100) {
                        outbox.append(notification, 1);
                        notification.clear();
                    }
                }
                double rate = count / ((System.nanoTime() - t0) / 1e9);
                log("outbox run %s: %,.0f readings/s appended (%d readings, 100 per transaction, one thread)", r < 0 ? "warm-up" : String.valueOf(r + 1), rate, count);
                if (r >= 0) {
                    appends.add(rate);
                }
            } finally {
                outbox.stop();
            }
        }
        // Drain after an outage.
        Stats drain = results.computeIfAbsent("outbox.drain", k -> new Stats());
        int tags = BACKLOG_TAGS;
        int outageSeconds = mode == QUICK ? 4 : 8;
        counter.reset();
        try (TestNode node = nodeBuilder(work.resolve("drain"), tags, gateway.opcUaEndpoint(), gateway.gatewayUrl(), sandbox.baseUrl(), "bench-")
                .property("maintainx.max-backoff", 1000).start()) {
            awaitReady(node.adminUrl(), Duration.ofSeconds(60));
            sandbox.failNext(10_000, 503); // more than the outage can use (each armed failure is one list entry)
            long written;
            try (TagWriter writer = new TagWriter(List.of(gateway), paths.subList(0, tags), 1_000)) {
                Thread.sleep(outageSeconds * 1000L);
                written = writer.written();
            }
            Thread.sleep(BATCH_DELAY_MS + 300L);
            long backlog = pending(node.adminUrl());
            sandbox.reset(); // MaintainX is back
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
            List<RequestRecord> stored = List.of();
            while (System.nanoTime() < deadline) {
                stored = sandbox.requests().stream().filter(q -> q.status() == 201).toList();
                long sum = stored.stream().mapToLong(RequestRecord::readingCount).sum();
                if (sum >= backlog) {
                    break;
                }
                Thread.sleep(100);
            }
            if (stored.size() >= 2) {
                long sum = stored.stream().mapToLong(RequestRecord::readingCount).sum();
                double seconds = Duration.between(stored.get(0).time(), stored.get(stored.size() - 1).time()).toNanos() / 1e9;
                // readings after the first request, over the time from the first to the last request
                double rate = (sum - stored.get(0).readingCount()) / Math.max(seconds, 1e-3);
                drain.add(rate);
                log("drain after a %d s outage: %d readings pending (%d changes written), drained at %,.0f readings/s over %d requests",
                        outageSeconds, backlog, written, rate, stored.size());
            }
        }
        awaitNoMonitoredItems();
        sandbox.reset();
    }

    // ------------------------------------------------------------------ node helpers

    static Map<String, String> nodeProperties(String opcUa, String gatewayUrl, String baseUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ignition.opcua.endpoint", opcUa);
        p.put("ignition.gateway.url", gatewayUrl);
        p.put("ignition.redundancy.poll-interval", String.valueOf(POLL_MS));
        p.put("maintainx.base-url", baseUrl);
        p.put("maintainx.batch-size", String.valueOf(BATCH_SIZE));
        p.put("maintainx.batch-delay", String.valueOf(BATCH_DELAY_MS));
        // The fake has no limit in the throughput runs; the node's own budget must not be the limit either.
        p.put("maintainx.rate-limit.requests", "1000000");
        p.put("maintainx.rate-limit.window", "1000");
        return p;
    }

    private TestNode.Builder nodeBuilder(Path dir, int n, String opcUa, String gatewayUrl, String baseUrl, String tokenPrefix) {
        TestNode.Builder builder = TestNode.builder(dir).settings(settingsYaml(n, tokenPrefix));
        nodeProperties(opcUa, gatewayUrl, baseUrl).forEach(builder::property);
        return builder;
    }

    /** Connectors of at most 5,000 tags (a connector holds at most 6,000), one token each. */
    private String settingsYaml(int n, String tokenPrefix) {
        int per = n <= 6_000 ? n : TAGS_PER_CONNECTOR;
        StringBuilder yaml = new StringBuilder("connectors:\n");
        for (int c = 0; c * per < n; c++) {
            yaml.append("  - name: bench-").append(c).append("\n    token: ").append(tokenPrefix).append(c).append("\n    tags:\n");
            for (int i = c * per; i < Math.min(n, (c + 1) * per); i++) {
                yaml.append("      - path: \"").append(paths.get(i)).append("\"\n        meter-id: ").append(FIRST_METER + i).append('\n');
            }
        }
        return yaml.toString();
    }

    static JsonNode status(String adminUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/api/status"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean ready(String adminUrl) {
        JsonNode status = status(adminUrl);
        if (status == null || !status.get("redundancy").get("leader").asBoolean()) {
            return false;
        }
        for (JsonNode c : status.get("connectors")) {
            if (!c.get("subscribed").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    static long pending(String adminUrl) {
        JsonNode status = status(adminUrl);
        if (status == null) {
            return 0;
        }
        long pending = 0;
        for (JsonNode c : status.get("connectors")) {
            pending += c.get("pending").asLong();
        }
        return pending;
    }

    private static void awaitReady(String adminUrl, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready(adminUrl)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node at " + adminUrl + " not leader and subscribed within " + timeout + ": " + status(adminUrl));
            }
            Thread.sleep(25);
        }
    }

    // ------------------------------------------------------------------ report

    private String table(Duration took) {
        StringBuilder md = new StringBuilder();
        Runtime rt = Runtime.getRuntime();
        md.append("Run: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)).append(", mode `").append(mode.name())
                .append("` (").append(mode.runs()).append(" runs × ").append(mode.runSeconds()).append(" s after ")
                .append(mode.warmupSeconds()).append(" s warm-up per throughput point), took ").append(took.toSeconds()).append(" s.  \n");
        md.append("Machine: ").append(rt.availableProcessors()).append(" cores, ")
                .append(totalMemoryMb()).append(" MB RAM, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append("; benchmark JVM max heap ").append(rt.maxMemory() / 1048576).append(" MB.  \n");
        md.append("Settings: batch-size ").append(BATCH_SIZE).append(", batch-delay ").append(BATCH_DELAY_MS)
                .append(" ms, publishing interval 100 ms, sampling interval 0, queue 20; gwinfo poll ")
                .append(POLL_MS).append(" ms, debounce = poll.\n\n");
        md.append("| # | Measure | Median | Spread (min–max) | Runs | Goal | Met |\n");
        md.append("|---|---|---:|---:|---:|---|---|\n");
        for (int n : mode.tagCounts()) {
            row(md, "1", "Bridge throughput, " + fmtInt(n) + " tags (readings/s stored)", "throughput.bridge." + n, "%,.0f", null, null);
            row(md, "2", "Plain Milo client throughput, " + fmtInt(n) + " tags (readings/s)", "throughput.raw." + n, "%,.0f", null, null);
            row(md, "1/2", "Throughput ratio bridge / plain, " + fmtInt(n) + " tags", "ratio." + n, "%.2f", "≥ 0.80", v -> v >= 0.8);
            row(md, "", "Changes/s written during bridge runs, " + fmtInt(n) + " tags (offered)", "offered.bridge." + n, "%,.0f", null, null);
        }
        String goal = "< " + (250 + BATCH_DELAY_MS) + " ms";
        row(md, "3", "Latency p50, change → stored, bridge (" + fmtInt(LATENCY_RATE) + " changes/s, " + fmtInt(LATENCY_TAGS) + " tags), ms", "latency50.bridge", "%.0f", null, null);
        row(md, "3", "Latency p99, bridge, ms", "latency99.bridge", "%.0f", goal + " (250 + batch delay)", v -> v < 250 + BATCH_DELAY_MS);
        row(md, "3", "Latency p50, plain Milo client (same load), ms", "latency50.raw", "%.0f", null, null);
        row(md, "3", "Latency p99, plain Milo client, ms", "latency99.raw", "%.0f", null, null);
        row(md, "3", "Changes written but not stored in latency runs, bridge", "latencyLost.bridge", "%.0f", "0", v -> v == 0);
        row(md, "4", "Failover: switch → new leader's first reading, ms", "failover.total", "%.0f", null, null);
        row(md, "4", "Failover overhead (total − " + POLL_MS + " ms poll interval), ms", "failover.overhead", "%.0f", "< 1000 ms", v -> v < 1000);
        row(md, "4a", "… detection + debounce (switch → leader), ms", "failover.detect", "%.0f", null, null);
        row(md, "4b", "… route start + subscribe (leader → subscribed), ms", "failover.subscribe", "%.0f", null, null);
        row(md, "4c", "… first change + batch delay + POST (subscribed → stored), ms", "failover.send", "%.0f", null, null);
        String down = mode.reconnectDownSeconds() + " s down";
        for (int n : RECONNECT_TAGS) {
            String tags = fmtInt(n) + " tags";
            row(md, "4r", "Reconnect after a gateway restart (" + down + ", " + tags + "): server listening → session, ms (max "
                    + fmtMax("reconnect.session." + n) + ")", "reconnect.session." + n, "%.0f", null, null);
            row(md, "4r", "… server listening → all " + tags + " subscribed again, ms (max " + fmtMax("reconnect.subscribed." + n) + ")",
                    "reconnect.subscribed." + n, "%.0f", "max < 1000 ms", v -> results.get("reconnect.subscribed." + n).max() < 1000);
            row(md, "4r", "… server listening → first change after it stored at MaintainX, " + tags + ", ms (max "
                    + fmtMax("reconnect.stored." + n) + ")", "reconnect.stored." + n, "%.0f", null, null);
        }
        row(md, "5", "Start-up to leader + 6,000 tags subscribed, new JVM (launch → ready), s", "startupCold.6000", "%.2f", "< 10 s", v -> v < 10);
        row(md, "5", "Start-up, in-process node in a warm JVM, 6,000 tags, s", "startupWarm.6000", "%.2f", null, null);
        for (int n : mode.tagCounts()) {
            if (n != 6_000) {
                row(md, "5", "Start-up, in-process node in a warm JVM, " + fmtInt(n) + " tags, s", "startupWarm." + n, "%.2f", null, null);
            }
        }
        row(md, "6", "Heap after GC, node JVM, 6,000 tags subscribed, idle, MB", "heapIdle.6000", "%.1f", "< 256 MB", v -> v < 256);
        row(md, "6", "Heap after GC, node JVM, 6,000 tags, after 6,000 changes delivered, MB", "heapBusy.6000", "%.1f", "< 256 MB", v -> v < 256);
        String window = BACKLOG_LIMIT + " req / " + BACKLOG_WINDOW.toSeconds() + " s";
        row(md, "7", "Backlog (" + window + ", " + fmtInt(BACKLOG_RATE) + " changes/s): readings per request", "backlog.perRequest", "%.0f", "= batch size " + BATCH_SIZE, v -> v == BATCH_SIZE);
        row(md, "7", "Backlog: requests per window, all /v1 requests (per-window spread)", "backlog.perWindow", "%.0f", "= " + BACKLOG_LIMIT, v -> v == BACKLOG_LIMIT);
        row(md, "7", "Backlog: share of the allowed requests used, %", "backlog.used", "%.0f", "100 %", v -> v >= 99.5);
        row(md, "7", "Backlog: 429 answers", "backlog.429", "%.0f", "0", v -> v == 0);
        row(md, "8", "Outbox append throughput (Outbox.append, one thread), readings/s", "outbox.append", "%,.0f", null, null);
        row(md, "8", "Drain rate after an outage (fake without rate limit), readings/s", "outbox.drain", "%,.0f", null, null);
        scaleRows(md);
        TakeoverSection.rows((id, label, key, format, aim, check) -> row(md, id, label, key, format, aim, check),
                takeoverConnectors(), takeoverTagsPerConnector());
        for (String note : notes) {
            md.append("\nNote: ").append(note).append('\n');
        }
        return md.toString();
    }

    private void scaleRows(StringBuilder md) {
        String scale = fmtInt(ScaleSection.TAGS) + " tags (" + ScaleSection.CONNECTORS + " × " + fmtInt(ScaleSection.TAGS_PER_CONNECTOR) + ")";
        row(md, "S", "Scale, " + scale + ": start-up to all subscribed, new JVM (launch → ready), s", "scale.startup", "%.1f",
                "< " + ScaleSection.STARTUP_GOAL_S + " s", v -> v < ScaleSection.STARTUP_GOAL_S);
        row(md, "S", "… heap after GC, node JVM (-Xmx" + ScaleSection.HEAP_CAP_MB + "m), all subscribed, idle, MB", "scale.heapIdle", "%.1f",
                "≤ " + ScaleSection.HEAP_CAP_MB + " MB", v -> v <= ScaleSection.HEAP_CAP_MB);
        row(md, "S", "… heap after GC after the sustained load, MB", "scale.heapLoaded", "%.1f",
                "≤ " + ScaleSection.HEAP_CAP_MB + " MB", v -> v <= ScaleSection.HEAP_CAP_MB);
        row(md, "S", "… changes/s written over all tags for " + mode.scaleLoadSeconds() + " s (offered by the simulator)", "scale.offered", "%,.0f",
                "≥ " + fmtInt(ScaleSection.RATE), v -> v >= ScaleSection.RATE * 0.98);
        row(md, "S", "… readings/s stored during the load", "scale.delivered", "%,.0f", null, null);
        row(md, "S", "… readings that passed the filter but were not stored", "scale.lost", "%.0f", "0", v -> v == 0);
        row(md, "S", "… latency p50, change → stored, ms", "scale.p50", "%.0f", null, null);
        row(md, "S", "… latency p99, ms", "scale.p99", "%.0f", "< " + (1000 + BATCH_DELAY_MS) + " ms (1 s + batch delay)", v -> v < 1000 + BATCH_DELAY_MS);
        row(md, "S", "… CPU cores used by the node during the load", "scale.cpuNode", "%.2f", null, null);
        row(md, "S", "… CPU cores used by the parent JVM (simulator, fake, writer) during the load", "scale.cpuParent", "%.2f", null, null);
        row(md, "S", "… throughput ratio bridge / plain Milo client, " + fmtInt(SCALE_RATIO_TAGS) + " tags (row 1/2)", "ratio." + SCALE_RATIO_TAGS, "%.2f",
                "≥ 0.80", v -> v >= 0.8);
    }

    interface Goal {
        boolean met(double value);
    }

    /** A section's way to add rows to the table (number, label, result key, format, goal text, goal check). */
    interface RowWriter {
        void row(String id, String label, String key, String format, String goal, Goal check);
    }

    private void row(StringBuilder md, String id, String label, String key, String format, String goal, Goal check) {
        Stats stats = results.get(key);
        if (stats == null || stats.isEmpty()) {
            return;
        }
        String met = check == null ? "" : (check.met(stats.median()) ? "yes" : "**no**");
        md.append("| ").append(id).append(" | ").append(label).append(" | ")
                .append(String.format(Locale.ROOT, format, stats.median())).append(" | ")
                .append(String.format(Locale.ROOT, format, stats.min())).append(" – ")
                .append(String.format(Locale.ROOT, format, stats.max())).append(" | ")
                .append(stats.count()).append(" | ").append(goal == null ? "" : goal).append(" | ").append(met).append(" |\n");
    }

    private String fmtMax(String key) {
        Stats stats = results.get(key);
        return stats == null || stats.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", stats.max());
    }

    private static String fmtInt(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static long totalMemoryMb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / 1048576;
        }
        return -1;
    }

    static final String BEGIN = "<!-- bench:begin (written by BridgeBenchmark; edit outside the markers) -->";
    static final String END = "<!-- bench:end -->";

    /** Replaces the table between the markers, keeping the rest of the file. */
    static void writeInto(Path file, String table) throws IOException {
        String block = BEGIN + "\n" + table + "\n" + END;
        String text;
        if (Files.exists(file)) {
            text = Files.readString(file);
            int a = text.indexOf(BEGIN.substring(0, 20));
            int b = text.indexOf(END);
            text = a >= 0 && b > a ? text.substring(0, a) + block + text.substring(b + END.length()) : text + "\n" + block + "\n";
        } else {
            text = "# Benchmarks\n\n" + block + "\n";
        }
        Files.writeString(file, text);
    }
}
