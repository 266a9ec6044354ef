package com.plantbridge.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;

/**
 * The module's full scale on one node: 20 connectors of 6,000 explicit tags (120,000), one token each, the node in
 * a child JVM capped at {@value #HEAP_CAP_MB} MB of heap. Per run: launch → all 120,000 tags subscribed; heap after
 * GC idle; a paced load of {@value #RATE} changes/s spread over all connectors for the mode's load time, every
 * reading taken from the fake as it arrives (count and latency = fake's createdAt − source time); then the heap
 * again. The simulated gateway (its own, with only these tags), the fake (its own, unlimited) and the writer are in
 * the parent JVM, so the CPU both processes used during the load is reported too: on a 2-core host the simulator
 * competes with the node.
 */
final class ScaleSection {

    static final int CONNECTORS = 20;
    static final int TAGS_PER_CONNECTOR = 6_000;
    static final int TAGS = CONNECTORS * TAGS_PER_CONNECTOR;
    static final int RATE = 20_000;
    static final long FIRST_METER = 1_000_000;
    static final int HEAP_CAP_MB = 512;
    static final int STARTUP_GOAL_S = 30;
    /** Extra JVM options for the scale node's JVM, whitespace separated (e.g. a JFR recording). */
    static final String CHILD_JVM_ARGS = "bench.childJvmArgs";
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(300);

    private final Path work;
    private final int runs;
    private final int loadSeconds;
    private final Map<String, Stats> results;
    private final List<String> notes;
    private final List<String> paths = new ArrayList<>(TAGS);
    private SimulatedGateway gateway;
    private MaintainxSandbox fake;

    ScaleSection(Path work, int runs, int loadSeconds, Map<String, Stats> results, List<String> notes) {
        this.work = work;
        this.runs = runs;
        this.loadSeconds = loadSeconds;
        this.results = results;
        this.notes = notes;
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        gateway = SimulatedGateway.builder().name("scale").start();
        fake = MaintainxSandbox.start(0);
        try {
            fake.unlimited();
            Instant old = Instant.now().minusSeconds(600);
            List<?> changeLog = TagWriter.changeLog(gateway);
            for (int c = 0; c < CONNECTORS; c++) {
                fake.token(token(c));
                for (int t = 0; t < TAGS_PER_CONNECTOR; t++) {
                    String path = String.format(Locale.ROOT, "[default]Scale/C%02d/T%04d", c, t);
                    long meter = FIRST_METER + paths.size();
                    paths.add(path);
                    gateway.addTag(path, 0.0);
                    gateway.writeTag(path, 0.0, StatusCodes.Good, old);
                    // MaintainX already holds each tag's current value, so only changes are sent.
                    fake.meter(meter, path).history(meter, 0.0, old);
                    if (paths.size() % 1_000 == 0) {
                        changeLog.clear(); // a CopyOnWriteArrayList: quadratic if left to grow
                    }
                }
            }
            changeLog.clear();
            BridgeBenchmark.log("scale: gateway with %,d tags and fake with %,d meters ready after %.1f s", TAGS, TAGS, (System.nanoTime() - t0) / 1e9);
            for (int r = 0; r < runs; r++) {
                oneRun(r);
            }
        } finally {
            gateway.close();
            fake.close();
        }
    }

    private static String token(int connector) {
        return "scale-" + connector;
    }

    private void oneRun(int r) throws Exception {
        fake.reset();
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx" + HEAP_CAP_MB + "m"));
        String extra = System.getProperty(CHILD_JVM_ARGS, "").trim();
        if (!extra.isEmpty()) {
            jvmArgs.addAll(Arrays.asList(extra.split("\\s+")));
        }
        Map<String, String> properties = BridgeBenchmark.nodeProperties(gateway.opcUaEndpoint(), gateway.gatewayUrl(), fake.baseUrl());
        try (BenchChild child = BenchChild.launch(work.resolve("scale-" + r), settingsYaml(), jvmArgs, properties)) {
            Double ready = awaitSubscribed(child, r);
            if (ready == null) {
                return;
            }
            String started = child.awaitLine("started", Duration.ofSeconds(30));
            add("scale.startup", ready);
            String adminUrl = child.adminUrl();
            int initial = awaitQuiet(adminUrl);
            long idle = child.heapAfterGc();
            add("scale.heapIdle", idle / 1048576.0);
            BridgeBenchmark.log("scale run %d: %,d tags subscribed %.2f s after launch (node's Main.start returned at JVM uptime %s ms); "
                    + "%d initial values sent; heap after GC %.1f MB (cap %d MB)", r + 1, TAGS, ready,
                    started == null ? "?" : started.substring("BENCH started ".length()), initial, idle / 1048576.0, HEAP_CAP_MB);
            // Only the first run starts with MaintainX holding every tag's current value: the fake is reset between
            // runs while the gateway keeps the last load's values, so later runs rightly send them at start.
            if (initial > 0 && r == 0) {
                notes.add("scale run " + (r + 1) + ": " + initial + " initial values were sent although MaintainX held them");
            }
            load(r, child);
            long busy = child.heapAfterGc();
            add("scale.heapLoaded", busy / 1048576.0);
            BridgeBenchmark.log("scale run %d: heap after GC after the load %.1f MB", r + 1, busy / 1048576.0);
        }
        awaitNoMonitoredItems();
    }

    /** Seconds from launch until every connector is subscribed with all its tags; null (and a note) if never. */
    private Double awaitSubscribed(BenchChild child, int r) throws InterruptedException {
        long deadline = System.nanoTime() + SUBSCRIBE_TIMEOUT.toNanos();
        long nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && child.isAlive()) {
            JsonNode status = BridgeBenchmark.status(child.adminUrl());
            if (status != null && status.get("redundancy").get("leader").asBoolean()) {
                int subscribedConnectors = 0;
                long tags = 0;
                for (JsonNode c : status.get("connectors")) {
                    subscribedConnectors += c.get("subscribed").asBoolean() ? 1 : 0;
                    tags += c.get("tagsSubscribed").asLong();
                }
                if (subscribedConnectors == CONNECTORS) {
                    return child.secondsSinceLaunch();
                }
                if (System.nanoTime() > nextLog) {
                    BridgeBenchmark.log("scale run %d: %.0f s after launch, %d connectors and %,d tags subscribed", r + 1,
                            child.secondsSinceLaunch(), subscribedConnectors, tags);
                    nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                }
            }
            // Each status call walks every tag's state in the node: polled no faster than this, the benchmark's
            // own polling stays a small share of the node's CPU while it subscribes.
            Thread.sleep(250);
        }
        String note = "scale run " + (r + 1) + ": not all " + TAGS + " tags subscribed within " + SUBSCRIBE_TIMEOUT.toSeconds()
                + " s of launch" + (child.isAlive() ? "" : " (the node's JVM exited; see its stderr.log)");
        BridgeBenchmark.log("%s", note);
        notes.add(note);
        return null;
    }

    /**
     * Waits until the node has settled (meter lists read, initial values compared, nothing pending, no request for
     * 2 s) and returns how many readings it sent meanwhile.
     */
    private int awaitQuiet(String adminUrl) throws InterruptedException {
        int sent = 0;
        int seenRequests = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            sent += fake.takeReadings().size();
            int requests = fake.requests().size();
            if (requests != seenRequests) {
                seenRequests = requests;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2) && BridgeBenchmark.pending(adminUrl) == 0) {
                break;
            }
            Thread.sleep(200);
        }
        long meterPages = fake.requests().stream().filter(q -> q.method().equals("GET") && q.path().startsWith("/v1/meters")).count();
        BridgeBenchmark.log("scale: node settled after %d requests to the fake (%d meter-list pages)", seenRequests, meterPages);
        fake.reset();
        return sent;
    }

    /** The paced load; every stored reading is taken from the fake as it arrives, counted and timed. */
    private void load(int r, BenchChild child) throws Exception {
        String adminUrl = child.adminUrl();
        long[] before = counters(adminUrl);
        long nodeCpu0 = child.cpuNanos();
        long parentCpu0 = parentCpuNanos();
        Collector collector = new Collector(Instant.now());
        collector.start();
        long written;
        double seconds;
        Instant loadEnd;
        long t0 = System.nanoTime();
        TagWriter writer = new TagWriter(List.of(gateway), interleaved(), RATE);
        try {
            Thread.sleep(loadSeconds * 1000L);
        } finally {
            writer.close(); // the writer has stopped: written() is final
        }
        written = writer.written();
        seconds = (System.nanoTime() - t0) / 1e9;
        loadEnd = Instant.now();
        long nodeCpu = child.cpuNanos() - nodeCpu0;
        long parentCpu = parentCpuNanos() - parentCpu0;
        // Drain: until the node has nothing pending and the fake got nothing new for 2 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long stored = collector.count();
            if (stored != seen) {
                seen = stored;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2) && BridgeBenchmark.pending(adminUrl) == 0) {
                break;
            }
        }
        collector.finish();
        long[] after = counters(adminUrl);
        long received = after[0] - before[0];
        long passed = after[1] - before[1];
        long stored = collector.count();
        long[] latencies = collector.latencies();
        double offered = written / seconds;
        double delivered = collector.storedBy(loadEnd) / seconds;
        double p50 = Stats.percentileLong(latencies, 50);
        double p99 = Stats.percentileLong(latencies, 99);
        add("scale.offered", offered);
        add("scale.delivered", delivered);
        add("scale.lost", Math.max(0, passed - stored));
        add("scale.p50", p50);
        add("scale.p99", p99);
        add("scale.cpuNode", nodeCpu / 1e9 / seconds);
        add("scale.cpuParent", parentCpu / 1e9 / seconds);
        BridgeBenchmark.log("scale run %d: %,d changes written in %.1f s (%,.0f/s, target %,d/s); node received %,d values, %,d passed its filter; "
                        + "fake stored %,d (%,.0f/s within the load), %d from before the load; latency p50 %.0f ms, p99 %.0f ms, max %.0f ms; "
                        + "CPU cores used during the load: node %.2f, parent (simulator, fake, writer) %.2f",
                r + 1, written, seconds, offered, RATE, received, passed, stored, delivered, collector.stale(), p50, p99,
                Stats.percentileLong(latencies, 100), nodeCpu / 1e9 / seconds, parentCpu / 1e9 / seconds);
        if (offered < RATE * 0.98) {
            String note = String.format(Locale.ROOT, "scale run %d: the simulator and writer (parent JVM) reached only %,.0f of the %,d changes/s asked "
                    + "(parent used %.2f cores, node %.2f, of %d); the node's numbers are at that rate",
                    r + 1, offered, RATE, parentCpu / 1e9 / seconds, nodeCpu / 1e9 / seconds, Runtime.getRuntime().availableProcessors());
            BridgeBenchmark.log("%s", note);
            notes.add(note);
        }
        if (received < written) {
            // More received than written is seen (a few hundred in 300,000): values the filter drops as unchanged.
            notes.add("scale run " + (r + 1) + ": " + written + " changes written, the node received only " + received);
        }
    }

    /** Sum over connectors of valuesReceived and readingsPassedFilter. */
    private static long[] counters(String adminUrl) {
        JsonNode status = BridgeBenchmark.status(adminUrl);
        long[] sums = new long[2];
        if (status != null) {
            for (JsonNode c : status.get("connectors")) {
                sums[0] += c.get("valuesReceived").asLong();
                sums[1] += c.get("readingsPassedFilter").asLong();
            }
        }
        return sums;
    }

    private static long parentCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Tag order for the writer: consecutive changes go to different connectors, as a plant's changes do. */
    private List<String> interleaved() {
        List<String> order = new ArrayList<>(TAGS);
        for (int t = 0; t < TAGS_PER_CONNECTOR; t++) {
            for (int c = 0; c < CONNECTORS; c++) {
                order.add(paths.get(c * TAGS_PER_CONNECTOR + t));
            }
        }
        return order;
    }

    private String settingsYaml() {
        StringBuilder yaml = new StringBuilder(TAGS * 72).append("connectors:\n");
        for (int c = 0; c < CONNECTORS; c++) {
            yaml.append("  - name: scale-").append(c).append("\n    token: ").append(token(c)).append("\n    tags:\n");
            for (int t = c * TAGS_PER_CONNECTOR; t < (c + 1) * TAGS_PER_CONNECTOR; t++) {
                yaml.append("      - path: \"").append(paths.get(t)).append("\"\n        meter-id: ").append(FIRST_METER + t).append('\n');
            }
        }
        return yaml.toString();
    }

    private void awaitNoMonitoredItems() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (gateway.monitoredItemCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private void add(String key, double value) {
        results.computeIfAbsent(key, k -> new Stats()).add(value);
    }

    /** Takes the fake's readings every 100 ms: counts those from the load and keeps their latencies. */
    private final class Collector {
        private final Instant from;
        private final Thread thread;
        private volatile boolean running = true;
        private long[] latencies = new long[1 << 16];
        private long[] createdAtMs = new long[1 << 16];
        private int count;
        private long stale;

        Collector(Instant from) {
            this.from = from;
            this.thread = new Thread(this::loop, "scale-collector");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            while (running) {
                take();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void take() {
            for (StoredReading reading : fake.takeReadings()) {
                if (reading.readingDate() == null || reading.readingDate().isBefore(from)) {
                    stale++;
                    continue;
                }
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                    createdAtMs = Arrays.copyOf(createdAtMs, count * 2);
                }
                latencies[count] = Duration.between(reading.readingDate(), reading.createdAt()).toMillis();
                createdAtMs[count++] = reading.createdAt().toEpochMilli();
            }
        }

        void finish() throws InterruptedException {
            running = false;
            thread.join(5_000);
            take();
        }

        synchronized long count() {
            return count;
        }

        synchronized long stale() {
            return stale;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(latencies, count);
        }

        synchronized long storedBy(Instant end) {
            long endMs = end.toEpochMilli();
            long n = 0;
            for (int i = 0; i < count; i++) {
                n += createdAtMs[i] <= endMs ? 1 : 0;
            }
            return n;
        }
    }
}
