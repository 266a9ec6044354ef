package com.plantbridge.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

import com.plantbridge.sim.gateway.GwinfoMode;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.RequestRecord;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.FreePort;

/**
 * Takeover at the module's scale under MaintainX's real budget: a pair of nodes, each in its own JVM, with
 * {@link #connectors} connectors of {@link #tagsPerConnector} tags, against two simulated gateways (Warm standby: the
 * gateway that is not Active serves the same values) and the MaintainX fake with its real limits: {@code GET /meters}
 * in cursor pages of at most 200, 100 requests a minute per token, 500 a minute for the organisation. Every meter
 * already holds a reading (MaintainX knows the tags' old values). Run twice: one token per connector, and one token
 * shared by all connectors.
 * <p>
 * In each mode, in this order: a cold start (new pair, no knowledge); a sudden failover (the Master's node killed with
 * kill -9 and its gateway gone; Ignition makes the Backup Active {@link #IGNITION_DETECTS} later); a failback to the
 * Master's node restarted after the kill (planned: both gateways switch at once); a planned switchover; a gateway crash
 * whose node stays up. A light background load (4 tags of 4 connectors changing every second) runs throughout, so the old leader
 * always has readings in flight. Each switch waits until the last one is over (the leader streams every tag, the
 * standby has deleted its subscriptions). At each switch {@link #CHANGED} tags, one per connector, change right after it.
 * Measured per switch: requests spent on reads (GET) between the switch and the first new reading, and in all until
 * every changed tag is in; switch → first reading and → every changed tag stored (the fake's createdAt); 429s; and
 * for the handover, switch → the new leader's leadership {@code since}. Per mode: readings doubled (same meter, date
 * and value stored twice) and lost (a changed tag, or a background tag's last value, never stored).
 */
final class TakeoverSection {

    static final int CHANGED = 20;
    static final int BUSY = 4;
    static final long BUSY_PERIOD_MS = 1_000;
    static final long FIRST_METER = 3_000_000;
    static final Duration IGNITION_DETECTS = Duration.ofSeconds(2);
    private static final String SECRET = "takeover-bench-peer-secret-0123456789abcdef";
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(90);
    static final String[] SCENARIOS = {"cold", "failover", "failback", "switchover", "gatewayCrash"};

    private final Path work;
    private final int connectors;
    private final int tagsPerConnector;
    private final Map<String, Stats> results;
    private final List<String> notes;
    private final List<String> paths = new ArrayList<>();
    private final Map<String, Double> lastWritten = new HashMap<>();
    private SimulatedGateway master;
    private SimulatedGateway backup;
    private MaintainxSandbox fake;
    private int round;

    TakeoverSection(Path work, int connectors, int tagsPerConnector, Map<String, Stats> results, List<String> notes) {
        this.work = work;
        this.connectors = connectors;
        this.tagsPerConnector = tagsPerConnector;
        this.results = results;
        this.notes = notes;
    }

    /** One token per connector, and one token shared by all. */
    static final List<String> MODES = List.of("tokens", "shared");

    void run(List<String> modes) throws Exception {
        for (String mode : modes) {
            oneMode(mode);
        }
    }

    private void oneMode(String mode) throws Exception {
        long t0 = System.nanoTime();
        master = SimulatedGateway.builder().name("tk-master").role("Master").activityLevel("Active").start();
        backup = SimulatedGateway.builder().name("tk-backup").role("Backup").activityLevel("Warm").start();
        fake = MaintainxSandbox.start(0);
        paths.clear();
        lastWritten.clear();
        Instant old = Instant.now().minusSeconds(3_600);
        try {
            for (int c = 0; c < connectors; c++) {
                fake.token(token(mode, c));
                for (int t = 0; t < tagsPerConnector; t++) {
                    String path = String.format(Locale.ROOT, "[default]Takeover/C%02d/T%04d", c, t);
                    long meter = FIRST_METER + paths.size();
                    paths.add(path);
                    for (SimulatedGateway g : List.of(master, backup)) {
                        g.addTag(path, 0.0);
                        g.writeTag(path, 0.0, StatusCodes.Good, old);
                    }
                    fake.meter(meter, path).history(meter, 0.0, old);
                    if (paths.size() % 1_000 == 0) {
                        TagWriter.changeLog(master).clear();
                        TagWriter.changeLog(backup).clear();
                    }
                }
            }
            TagWriter.changeLog(master).clear();
            TagWriter.changeLog(backup).clear();
            BridgeBenchmark.log("takeover (%s): two gateways with %,d tags and a fake with %,d meters ready after %.1f s",
                    mode, paths.size(), paths.size(), (System.nanoTime() - t0) / 1e9);
            scenarios(mode);
        } finally {
            master.close();
            backup.close();
            fake.close();
        }
    }

    private void scenarios(String mode) throws Exception {
        int masterPort = FreePort.next();
        int backupPort = FreePort.next();
        Path masterDir = work.resolve("takeover-" + mode + "/master");
        Path backupDir = work.resolve("takeover-" + mode + "/backup");
        BenchChild masterNode = null;
        BenchChild backupNode = null;
        Background busy = null;
        try {
            // (1) Cold start: a new pair; the Master's node leads as soon as it is up.
            int before = fake.requests().size();
            masterNode = launch(mode, masterDir, master, masterPort, backupPort, true);
            backupNode = launch(mode, backupDir, backup, backupPort, masterPort, true);
            if (!awaitSubscribed(masterNode, true, mode) || !awaitSubscribed(backupNode, false, mode)) {
                return;
            }
            busy = new Background();
            Instant at = Instant.now();
            measure(mode, "cold", at, changeAll(), before, null, masterNode, backupNode);
            // A pair runs for a while before its first switch: the cold start's settlement (every meter's current value
            // compared with what MaintainX holds, in pages, within half of the budget) ends first.
            settled(mode, at, before, masterNode);

            // (2) Sudden failover: the Master's machine is lost (node kill -9, gateway gone); Ignition notices later.
            before = quietBeforeSwitch(mode, masterNode, backupNode);
            masterNode.kill();
            master.stopOpcUa();
            master.setGwinfoMode(GwinfoMode.DOWN);
            Thread.sleep(IGNITION_DETECTS.toMillis());
            at = Instant.now();
            backup.setRedundancy("Backup", "Active");
            measure(mode, "failover", at, changeAll(), before, backupNode, masterNode, backupNode);

            // (3) Failback to the Master's node restarted after the kill: its gateway back as the standby first.
            master.startOpcUa();
            master.setRedundancy("Master", "Warm");
            master.setGwinfoMode(GwinfoMode.NORMAL);
            masterNode = launch(mode, masterDir, master, masterPort, backupPort, false);
            if (!awaitSubscribed(masterNode, false, mode)) {
                return;
            }
            before = quietBeforeSwitch(mode, backupNode, masterNode);
            at = Instant.now();
            backup.setRedundancy("Backup", "Warm");
            master.setRedundancy("Master", "Active");
            measure(mode, "failback", at, changeAll(), before, masterNode, masterNode, backupNode);

            // (4) Planned switchover.
            before = quietBeforeSwitch(mode, masterNode, backupNode);
            at = Instant.now();
            master.setRedundancy("Master", "Warm");
            backup.setRedundancy("Backup", "Active");
            measure(mode, "switchover", at, changeAll(), before, backupNode, masterNode, backupNode);

            // (5) The Backup's gateway crashes, its node stays up; the Master's gateway takes over at once.
            before = quietBeforeSwitch(mode, backupNode, masterNode);
            at = Instant.now();
            backup.stopOpcUa();
            backup.setGwinfoMode(GwinfoMode.DOWN);
            master.setRedundancy("Master", "Active");
            measure(mode, "gatewayCrash", at, changeAll(), before, masterNode, masterNode, backupNode);
        } finally {
            if (busy != null) {
                busy.close();
            }
            drained(mode, masterNode, backupNode);
            doubledAndLost(mode);
            for (BenchChild child : new BenchChild[] {masterNode, backupNode}) {
                if (child != null) {
                    child.close();
                }
            }
        }
    }

    private BenchChild launch(String mode, Path dir, SimulatedGateway gateway, int ownPort, int peerPort, boolean writeSettings) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bridge.node-name", gateway.name() + "-node");
        p.put("ignition.opcua.endpoint", gateway.opcUaEndpoint());
        p.put("ignition.gateway.url", gateway.gatewayUrl());
        p.put("ignition.redundancy.source", "gwinfo");
        p.put("ignition.redundancy.poll-interval", String.valueOf(BridgeBenchmark.POLL_MS));
        p.put("bridge.peer.url", "http://127.0.0.1:" + peerPort);
        p.put("bridge.peer.secret", SECRET);
        p.put("maintainx.base-url", fake.baseUrl());
        p.put("maintainx.batch-size", String.valueOf(BridgeBenchmark.BATCH_SIZE));
        p.put("maintainx.batch-delay", String.valueOf(BridgeBenchmark.BATCH_DELAY_MS));
        // MaintainX's own budget (100 a minute per token, 500 for the organisation) is the nodes' default: not set here.
        return BenchChild.launch(dir, writeSettings ? settingsYaml(mode) : null, List.of("-Xmx1g"), p, ownPort);
    }

    private boolean awaitSubscribed(BenchChild child, boolean leader, String mode) throws InterruptedException {
        long deadline = System.nanoTime() + SUBSCRIBE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && child.isAlive()) {
            JsonNode status = BridgeBenchmark.status(child.adminUrl());
            // A standby's routes are stopped (camel-master): it subscribes when it leads. Standing by = answering, not leading.
            if (status != null && !leader && !status.path("redundancy").path("leader").asBoolean()) {
                BridgeBenchmark.log("takeover (%s): a node standing by %.1f s after launch", mode, child.secondsSinceLaunch());
                return true;
            }
            if (status != null && leader && status.path("redundancy").path("leader").asBoolean()) {
                if (subscribedConnectors(status) == connectors) {
                    BridgeBenchmark.log("takeover (%s): a node leading with %,d tags subscribed %.1f s after launch", mode,
                            paths.size(), child.secondsSinceLaunch());
                    return true;
                }
            }
            Thread.sleep(250);
        }
        notes.add("takeover (" + mode + "): a node was not " + (leader ? "leading" : "standing by") + " with every tag subscribed within "
                + SUBSCRIBE_TIMEOUT.toSeconds() + " s" + (child.isAlive() ? "" : " (its JVM exited; see its stderr.log)"));
        return false;
    }

    /** Waits for the pair's normal state between switches; the fake's request count then, to count the switch's requests from. */
    private int quietBeforeSwitch(String mode, BenchChild leader, BenchChild standby) throws InterruptedException {
        awaitQuiet(mode, leader, standby);
        awaitPeerKnowledge(standby);
        return fake.requests().size();
    }

    /**
     * Until the last switch is over: the leader streams every tag and the standby has deleted its subscriptions. Switches
     * seconds apart at this scale (the next while the last is still creating 120,000 monitored items on one gateway
     * thread) are flapping, not the takeover measured here.
     */
    private void awaitQuiet(String mode, BenchChild leader, BenchChild standby) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + SUBSCRIBE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (subscribedConnectors(leader) == connectors && subscribedConnectors(standby) == 0) {
                BridgeBenchmark.log("takeover (%s): the last switch over %.1f s later", mode, (System.nanoTime() - started) / 1e9);
                return;
            }
            Thread.sleep(250);
        }
        notes.add("takeover (" + mode + "): a switch was not over (leader subscribed, standby unsubscribed) within " + SUBSCRIBE_TIMEOUT.toSeconds() + " s");
    }

    /** A killed node subscribes nothing; a live one that does not answer its status is not known to be quiet (-1). */
    private int subscribedConnectors(BenchChild child) {
        if (!child.isAlive()) {
            return 0;
        }
        JsonNode status = BridgeBenchmark.status(child.adminUrl());
        return status == null ? -1 : subscribedConnectors(status);
    }

    private static int subscribedConnectors(JsonNode status) {
        int subscribed = 0;
        for (JsonNode c : status.path("connectors")) {
            subscribed += c.path("subscribed").asBoolean() ? 1 : 0;
        }
        return subscribed;
    }

    /** Until the standby's copy of the leader's knowledge is current (the pair's normal state between switches). */
    private void awaitPeerKnowledge(BenchChild standby) throws InterruptedException {
        Instant now = Instant.now();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode status = BridgeBenchmark.status(standby.adminUrl());
            String upTo = status == null ? null : status.path("knowledge").path("peerKnownUpTo").asText(null);
            if (upTo != null && !upTo.equals("null") && Instant.parse(upTo).isAfter(now)) {
                return;
            }
            Thread.sleep(100);
        }
        notes.add("takeover: a standby's copy of its peer's knowledge was not current within 60 s");
    }

    /** One tag per connector, a new value, written on every gateway that runs (same value and source time). */
    private Map<Long, Double> changeAll() {
        round++;
        Map<Long, Double> changed = new LinkedHashMap<>();
        Instant source = Instant.now();
        for (int c = 0; c < Math.min(CHANGED, connectors); c++) {
            int index = c * tagsPerConnector + BUSY + round % (tagsPerConnector - BUSY);
            double value = 10_000 + round;
            write(paths.get(index), value, source);
            changed.put(FIRST_METER + index, value);
        }
        return changed;
    }

    private synchronized void write(String path, double value, Instant source) {
        for (SimulatedGateway g : List.of(master, backup)) {
            if (g.isOpcUaRunning()) {
                g.writeTag(path, value, StatusCodes.Good, source);
            }
        }
        lastWritten.put(path, value);
    }

    private void measure(String mode, String scenario, Instant at, Map<Long, Double> changed, int requestsBefore, BenchChild newLeader,
                         BenchChild... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
        Map<Long, Instant> stored = new HashMap<>();
        Instant leaderSince = null;
        long started = System.nanoTime();
        boolean explained = false;
        while (System.nanoTime() < deadline && (stored.size() < changed.size() || (newLeader != null && leaderSince == null))) {
            for (Map.Entry<Long, Double> e : changed.entrySet()) {
                if (!stored.containsKey(e.getKey())) {
                    fake.readings(e.getKey()).stream().filter(r -> r.value() == e.getValue()).findFirst()
                            .ifPresent(r -> stored.put(e.getKey(), r.createdAt()));
                }
            }
            if (!explained && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(10) && stored.size() < changed.size()) {
                explained = true;
                explainLate(mode, scenario, changed, stored, nodes);
            }
            if (newLeader != null && leaderSince == null) {
                JsonNode status = BridgeBenchmark.status(newLeader.adminUrl());
                if (status != null && status.path("redundancy").path("leader").asBoolean()) {
                    leaderSince = Instant.parse(status.path("redundancy").path("since").asText());
                }
            }
            Thread.sleep(50);
        }
        String key = "takeover." + mode + "." + scenario;
        if (stored.size() < changed.size()) {
            explainLate(mode, scenario, changed, stored, nodes);
            notes.add(String.format(Locale.ROOT, "takeover (%s), %s: only %d of %d changed tags stored within %d s", mode, scenario,
                    stored.size(), changed.size(), ARRIVAL_TIMEOUT.toSeconds()));
        }
        Instant first = stored.values().stream().min(Instant::compareTo).orElse(null);
        Instant last = stored.values().stream().max(Instant::compareTo).orElse(null);
        List<RequestRecord> requests = fake.requests();
        List<RequestRecord> since = requests.subList(Math.min(requestsBefore, requests.size()), requests.size());
        long readsBeforeFirst = since.stream().filter(r -> r.method().equals("GET") && (first == null || !r.time().isAfter(first))).count();
        long readsById = since.stream().filter(r -> r.method().equals("GET") && r.path().matches("/v1/meters/\\d+")).count();
        long readPages = since.stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/meters")).count();
        long tooMany = since.stream().filter(r -> r.status() == 429).count();
        add(key + ".reads", readsBeforeFirst);
        add(key + ".429", tooMany);
        if (first != null) {
            add(key + ".first", Duration.between(at, first).toMillis());
            add(key + ".all", Duration.between(at, last).toMillis());
        }
        if (leaderSince != null) {
            add(key + ".leader", Duration.between(at, leaderSince).toMillis());
        }
        logRequestsAfter(mode, scenario, at, since);
        BridgeBenchmark.log("takeover (%s), %s: switch → first changed tag stored %s ms, → all %d stored %s ms; leader %s ms after the switch; "
                        + "reads before the first: %d; since the switch: %d by id, %d pages, %d answered 429", mode, scenario,
                first == null ? "-" : Duration.between(at, first).toMillis(), stored.size(), last == null ? "-" : Duration.between(at, last).toMillis(),
                leaderSince == null ? "-" : Duration.between(at, leaderSince).toMillis(), readsBeforeFirst, readsById, readPages, tooMany);
    }

    /** Until the leader has no meter left to settle and no current value waiting; records how long that took and the pages read. */
    private void settled(String mode, Instant from, int requestsBefore, BenchChild leader) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (System.nanoTime() < deadline && leader.isAlive()) {
            if (waiting(leader) == 0) {
                List<RequestRecord> requests = fake.requests();
                List<RequestRecord> since = requests.subList(Math.min(requestsBefore, requests.size()), requests.size());
                long pages = since.stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/meters")).count();
                long tooMany = since.stream().filter(r -> r.status() == 429).count();
                double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
                add("takeover." + mode + ".coldSettled", seconds);
                add("takeover." + mode + ".coldPages", pages);
                add("takeover." + mode + ".cold429", tooMany);
                BridgeBenchmark.log("takeover (%s): the cold start's settlement ended %.0f s after the change, %d pages read, %d answered 429",
                        mode, seconds, pages, tooMany);
                return;
            }
            Thread.sleep(2_000);
        }
        notes.add("takeover (" + mode + "): the cold start's settlement had not ended after 20 minutes");
    }

    /** Meters waiting to be settled plus current values waiting for them, over the node's connectors; -1 without an answer. */
    private static long waiting(BenchChild node) {
        JsonNode status = BridgeBenchmark.status(node.adminUrl());
        if (status == null) {
            return -1;
        }
        long n = 0;
        for (JsonNode c : status.path("connectors")) {
            n += c.path("currentValuesWaiting").asLong() + c.path("settlement").path("waitingOfConnector").asLong();
        }
        return n;
    }

    /** Until no node that runs has readings pending and the fake got nothing new for 3 s (a shared token drains slowly). */
    private void drained(String mode, BenchChild... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int requests = fake.requests().size();
            long pending = 0;
            for (BenchChild node : nodes) {
                if (node != null && node.isAlive()) {
                    pending += Math.max(0, BridgeBenchmark.pending(node.adminUrl())) + Math.max(0, waiting(node));
                }
            }
            if (requests != seen || pending > 0) {
                seen = requests;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                return;
            }
            Thread.sleep(250);
        }
        notes.add("takeover (" + mode + "): readings still pending 180 s after the last switch");
    }

    /** For a changed tag late at MaintainX: where it is in each node (its connector's status). */
    /** The first requests MaintainX got after the switch, when and from which node: what the first reading waited for. */
    private static void logRequestsAfter(String mode, String scenario, Instant at, List<RequestRecord> since) {
        StringBuilder list = new StringBuilder();
        since.stream().filter(r -> !r.time().isBefore(at)).limit(8).forEach(r -> list.append(String.format(Locale.ROOT, " +%d ms %s %s %d (%d readings, %s);",
                Duration.between(at, r.time()).toMillis(), r.method(), r.path(), r.status(), r.readingCount(),
                r.userAgent() == null ? "?" : r.userAgent().replaceAll(".*\\(node ([^)]*)\\).*", "$1"))));
        BridgeBenchmark.log("takeover (%s), %s: requests after the switch:%s", mode, scenario, list);
    }

    private void explainLate(String mode, String scenario, Map<Long, Double> changed, Map<Long, Instant> stored, BenchChild... nodes) {
        for (Map.Entry<Long, Double> e : changed.entrySet()) {
            if (stored.containsKey(e.getKey())) {
                continue;
            }
            int index = (int) (e.getKey() - FIRST_METER);
            String connector = "tk-" + index / tagsPerConnector;
            StringBuilder where = new StringBuilder();
            for (BenchChild node : nodes) {
                JsonNode status = node == null || !node.isAlive() ? null : BridgeBenchmark.status(node.adminUrl());
                if (status == null) {
                    continue;
                }
                for (JsonNode c : status.path("connectors")) {
                    if (c.path("name").asText().equals(connector)) {
                        where.append(String.format(Locale.ROOT, " [%s leader=%s: pending %s, inFlight %s, currentValuesWaiting %s, activity %s, state %s, settlement %s]",
                                status.path("node").asText(), status.path("redundancy").path("leader").asText(), c.path("pending"), c.path("inFlight"),
                                c.path("currentValuesWaiting"), c.path("activity"), c.path("state"), c.path("settlement")));
                    }
                }
            }
            BridgeBenchmark.log("takeover (%s), %s: %s (meter %d, value %.0f) not yet stored:%s; MaintainX holds %s", mode, scenario, paths.get(index),
                    e.getKey(), e.getValue(), where, fake.readings(e.getKey()).stream().map(r -> r.value() + "@" + r.readingDate()).toList());
        }
    }

    private void doubledAndLost(String mode) {
        long doubled = 0;
        long lost = 0;
        Map<String, Double> expected;
        synchronized (this) {
            expected = new HashMap<>(lastWritten);
        }
        for (int i = 0; i < paths.size(); i++) {
            List<StoredReading> readings = fake.readings(FIRST_METER + i);
            if (readings.size() > 1) {
                Map<String, Long> copies = readings.stream().collect(Collectors.groupingBy(r -> r.value() + "@" + r.readingDate(), Collectors.counting()));
                doubled += copies.values().stream().mapToLong(n -> n - 1).sum();
            }
            Double last = expected.get(paths.get(i));
            if (last != null && readings.stream().noneMatch(r -> r.value() == last)) {
                lost++;
            }
        }
        add("takeover." + mode + ".doubled", doubled);
        add("takeover." + mode + ".lost", lost);
        BridgeBenchmark.log("takeover (%s): %d readings doubled, %d tags whose last written value is not at MaintainX", mode, doubled, lost);
    }

    private String token(String mode, int connector) {
        return mode.equals("shared") ? "takeover-shared" : "takeover-" + connector;
    }

    private String settingsYaml(String mode) {
        StringBuilder yaml = new StringBuilder(paths.size() * 72).append("connectors:\n");
        for (int c = 0; c < connectors; c++) {
            yaml.append("  - name: tk-").append(c).append("\n    token: ").append(token(mode, c)).append("\n    tags:\n");
            for (int t = c * tagsPerConnector; t < (c + 1) * tagsPerConnector; t++) {
                yaml.append("      - path: \"").append(paths.get(t)).append("\"\n        meter-id: ").append(FIRST_METER + t).append('\n');
            }
        }
        return yaml.toString();
    }

    private void add(String key, double value) {
        results.computeIfAbsent(key, k -> new Stats()).add(value);
    }

    /** {@link #BUSY} tags of the first connectors, each changed every second: the old leader always has something in flight. */
    private final class Background implements AutoCloseable {
        private final Thread thread = new Thread(this::loop, "takeover-busy");
        private volatile boolean running = true;

        Background() {
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            double value = 1;
            while (running) {
                Instant source = Instant.now();
                for (int b = 0; b < BUSY; b++) {
                    write(paths.get((b % connectors) * tagsPerConnector + b), value, source);
                }
                value++;
                try {
                    Thread.sleep(BUSY_PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2_000);
        }
    }

    /** The section's rows for the benchmark table. */
    static void rows(BridgeBenchmark.RowWriter row, int connectors, int tagsPerConnector) {
        String scale = String.format(Locale.ROOT, "%,d tags (%d × %,d)", connectors * tagsPerConnector, connectors, tagsPerConnector);
        for (String mode : List.of("tokens", "shared")) {
            String who = mode.equals("tokens") ? "one token per connector" : "one token shared by all";
            for (String s : SCENARIOS) {
                String k = "takeover." + mode + "." + s;
                String name = switch (s) {
                    case "cold" -> "cold start";
                    case "failover" -> "sudden failover (kill -9 + gateway lost)";
                    case "failback" -> "failback to the node restarted after kill -9";
                    case "switchover" -> "planned switchover";
                    default -> "gateway crash, its node up";
                };
                boolean failover = !s.equals("cold");
                row.row("T", "Takeover, " + scale + ", " + who + ", " + name + ": reads before the first new reading", k + ".reads", "%.0f",
                        failover ? "≤ 5" : null, failover ? v -> v <= 5 : null);
                row.row("T", "… switch → first changed tag stored, ms", k + ".first", "%.0f", "≤ 1000 ms", v -> v <= 1000);
                row.row("T", "… switch → all " + Math.min(CHANGED, connectors) + " changed tags stored, ms", k + ".all", "%.0f", "≤ 10000 ms", v -> v <= 10_000);
                row.row("T", "… 429 answers", k + ".429", "%.0f", "0", v -> v == 0);
            }
            row.row("T", "Takeover, " + who + ": cold start, every meter's current value settled, s after the change", "takeover." + mode + ".coldSettled",
                    "%.0f", null, null);
            row.row("T", "… pages of 200 read for it", "takeover." + mode + ".coldPages", "%.0f", null, null);
            row.row("T", "… 429 answers", "takeover." + mode + ".cold429", "%.0f", "0", v -> v == 0);
            row.row("T", "Takeover, " + who + ": readings doubled over the five switches", "takeover." + mode + ".doubled", "%.0f", "0", v -> v == 0);
            row.row("T", "Takeover, " + who + ": tags whose last value never reached MaintainX", "takeover." + mode + ".lost", "%.0f", "0", v -> v == 0);
        }
        long poll = BridgeBenchmark.POLL_MS;
        for (String[] h : new String[][] {{"gatewayCrash", "gateway crash, its node up"}, {"failover", "whole machine lost (switch " + IGNITION_DETECTS.toSeconds()
                + " s after the kill)"}, {"switchover", "planned switchover"}, {"failback", "planned failback"}}) {
            for (String mode : List.of("tokens", "shared")) {
                row.row("H", "Handover, " + h[1] + " (" + mode + "): gateway switch → new leader, ms", "takeover." + mode + "." + h[0] + ".leader", "%.0f",
                        "≤ " + (poll + 500) + " ms (poll + 500)", v -> v <= poll + 500);
            }
        }
    }
}
