package com.plantbridge.maintainx;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.knowledge.Knowledge;
import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.settings.ConnectorSettings;

/**
 * Reads MaintainX for what the pair cannot know: the meters of a new pair, values the old leader
 * may have captured after it last told this node, and batches in flight at a crash. Per
 * organisation, in the background, within the reads' share of each token's budget ({@link
 * TokenBudget}): meters one by one ({@code GET /meters/{id}}, with the token of the connector that
 * asked) or in pages of 200 ({@code GET /meters}, which has no filter by id), whichever takes fewer
 * requests (a takeover in an organisation of 120,000 meters reads up to 600 uncertain meters by
 * id; a new pair, which knows no meter, reads more than 20 in pages). Every token of an organisation lists the same meters, so one scan of the
 * pages, each page read with whichever token has most requests left, settles the meters of all its
 * connectors: twenty connectors of 6,000 tags in an organisation of 120,000 meters read its 600
 * pages once, not twenty times. What is read is kept as knowledge, so it is read once.
 */
public final class Settlement extends ServiceSupport implements PairKnowledge.Settler {

    /** A page lists this many meters. */
    static final int PAGE = 200;
    /** So many meters are read one by one whatever the list's length: a new pair does not know how long the list is. */
    static final int BY_METER_AT_LEAST = 20;
    /** A batch in flight at a crash is settled by this many of its meters at most (one speaks for the whole batch). */
    static final int BATCH_METERS_READ = 3;
    private static final long SLOT_WAIT_MS = 60_000;
    /** A subscription reports its tags' current values together: gathered this long, they are read in one scan. */
    static final long GATHER_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

    private final CamelContext context;
    private final RateLimiters budgets;
    private final Supplier<MaintainxClient> client;
    private final PairKnowledge knowledge;
    private final Map<String, TokenReads> tokens = new ConcurrentHashMap<>();
    private ExecutorService executor;
    private volatile long startedAt = Long.MAX_VALUE;

    /** One organisation's meters waiting to be read (with the connector that asked), and what was read so far (status). */
    private final class TokenReads {
        final String key;
        final Map<Long, List<Runnable>> waiting = new LinkedHashMap<>();
        final Map<Long, ConnectorSettings> askers = new HashMap<>();
        /** The connectors with meters waiting, by name (a connector's settings hold its tags: too big to hash per meter). */
        final Map<String, Waiting> waitingByConnector = new LinkedHashMap<>();
        /** When each waiting meter was first asked for: what was learned of it since needs no request. */
        final Map<Long, Instant> askedAt = new HashMap<>();
        boolean running;
        long requests;
        long settled;
        long pages;
        /** Pages the last full scan read: how long the organisation's list is. */
        long lastScanPages;
        String mode = "idle";
        Instant since;
        String lastProblem;

        TokenReads(String key) {
            this.key = key;
        }
    }

    /** A connector with meters waiting to be read, and how many (the newest settings it asked with). */
    private record Waiting(ConnectorSettings connector, int meters) {
    }

    private static String organization(ConnectorSettings connector) {
        return connector.organizationId() == null ? "default" : String.valueOf(connector.organizationId());
    }

    public Settlement(CamelContext context, RateLimiters budgets, Supplier<MaintainxClient> client, PairKnowledge knowledge) {
        this.context = context;
        this.budgets = budgets;
        this.client = client;
        this.knowledge = knowledge;
    }

    @Override
    public void settle(ConnectorSettings connector, long key, Runnable whenRead) {
        TokenReads reads = tokens.computeIfAbsent(organization(connector), TokenReads::new);
        boolean start;
        synchronized (reads) {
            if (reads.askers.putIfAbsent(key, connector) == null) {
                reads.waitingByConnector.merge(connector.name(), new Waiting(connector, 1), (was, one) -> new Waiting(connector, was.meters() + 1));
                reads.askedAt.put(key, Instant.now());
            }
            reads.waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(whenRead);
            start = !reads.running && executor != null;
            if (start) {
                reads.running = true;
                reads.since = Instant.now();
            }
        }
        if (start) {
            executor.execute(() -> run(reads));
        }
    }

    private void run(TokenReads reads) {
        sleep(GATHER_MS);
        long backoff = 1_000;
        while (isRunAllowed()) {
            Set<Long> keys;
            Map<Long, ConnectorSettings> askers;
            synchronized (reads) {
                if (reads.waiting.isEmpty()) {
                    reads.running = false;
                    reads.mode = "idle";
                    return;
                }
                keys = new java.util.LinkedHashSet<>(reads.waiting.keySet());
                askers = new HashMap<>(reads.askers);
            }
            ConnectorSettings asker = askers.values().iterator().next();
            try {
                // One request a meter, or one a page of the whole list: whichever is fewer. The list is at least as long as what
                // the pair knows, and as the last scan found.
                long pagesAtLeast = Math.max(reads.lastScanPages, (knowledge.metersKnown() + PAGE - 1) / PAGE);
                if (keys.size() <= Math.max(BY_METER_AT_LEAST, pagesAtLeast)) {
                    reads.mode = "by meter";
                    for (long key : keys) {
                        asker = askers.get(key);
                        Map<Long, LastReading> read = new HashMap<>();
                        // Read or delivered since it was asked for (a crash settling at start reads the same meters): no request.
                        com.plantbridge.knowledge.Knowledge known = knowledge.of(key);
                        Instant asked;
                        synchronized (reads) {
                            asked = reads.askedAt.get(key);
                        }
                        boolean learnedSince = known.settled() && known.learnedAt() != null && asked != null && !known.learnedAt().isBefore(asked);
                        read.put(key, learnedSince ? known.held() : readOne(asker, key, reads));
                        done(reads, read);
                    }
                } else {
                    reads.mode = "pages";
                    readPages(reads);
                }
                backoff = 1_000;
                reads.lastProblem = null;
            } catch (IOException | SQLException | RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(reads.lastProblem)) {
                    LOG.warn("Connector {}: MaintainX could not be read to settle {} meters ({}); trying again, their current values wait",
                            asker.name(), keys.size(), e.getMessage());
                }
                reads.lastProblem = e.getMessage();
                sleep(backoff);
                backoff = Math.min(backoff * 2, 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (reads) {
            reads.running = false;   // stopping: a later start picks the waiting meters up again
        }
    }

    /** The meter's last reading (or the asset's status, for a negative key); null when MaintainX holds none. */
    private LastReading readOne(ConnectorSettings asker, long key, TokenReads reads) throws IOException, InterruptedException {
        MaintainxClient.Slot slot = budgets.forToken(asker).slot(TokenBudget.Use.READS, SLOT_WAIT_MS);
        reads.requests++;
        if (key < 0) {
            return client.get().currentAssetStatus(asker, -key, slot);
        }
        return client.get().meter(asker, key, slot).lastReading();
    }

    /**
     * Walks the pages, each with the token that has most requests left of the connectors waiting then, settling on every page
     * whatever waits then: meters whose current values arrive during the walk (a connector of 6,000 tags subscribes
     * in parts) are found on the pages still to come, and on the pages before them in the next lap. A meter looked
     * for through a whole lap is not in the list (its readings will be refused and kept); an asset is asked alone.
     */
    private void readPages(TokenReads reads) throws IOException, InterruptedException, SQLException {
        String cursor = null;
        long walked = 0;
        long lapStart = 0;
        long lap = reads.lastScanPages;
        Map<Long, Long> lookedForSince = new HashMap<>();
        while (isRunAllowed()) {
            Set<Long> wanted = new java.util.HashSet<>();
            Map<Long, LastReading> assets = new HashMap<>();
            List<ConnectorSettings> askingNow;
            synchronized (reads) {
                // Connectors join the walk as their subscriptions report current values: every token of the organisation
                // that waits shares its pages (before this every page went with the first connector's token, at that one
                // token's pace: 396 s for 120,000 meters of twenty connectors with a token each).
                askingNow = reads.waitingByConnector.values().stream().map(Waiting::connector).toList();
                for (Long key : reads.waiting.keySet()) {
                    if (key > 0) {
                        wanted.add(key);
                    } else {
                        assets.put(key, null);
                    }
                }
            }
            for (Long key : assets.keySet()) {
                ConnectorSettings asker;
                synchronized (reads) {
                    asker = reads.askers.getOrDefault(key, askingNow.get(0));
                }
                assets.put(key, readOne(asker, key, reads));
            }
            done(reads, assets);
            if (wanted.isEmpty()) {
                return;
            }
            lookedForSince.keySet().retainAll(wanted);
            for (Long key : wanted) {
                lookedForSince.putIfAbsent(key, walked);
            }
            if (lap > 0) {
                Map<Long, LastReading> absent = new HashMap<>();
                final long w = walked;
                final long l = lap;
                lookedForSince.forEach((key, since) -> {
                    if (w - since >= l) {
                        absent.put(key, null);
                    }
                });
                if (!absent.isEmpty()) {
                    done(reads, absent);
                    continue;
                }
            }
            ConnectorSettings asker = askingNow.stream()
                    .max(java.util.Comparator.comparingInt(c -> budgets.forToken(c).token().remaining())).orElseThrow();
            reads.requests++;
            MaintainxClient.MeterPage page = client.get().meterPage(asker, null, cursor, budgets.forToken(asker).slot(TokenBudget.Use.READS, SLOT_WAIT_MS));
            reads.pages++;
            walked++;
            Map<Long, LastReading> found = new HashMap<>();
            for (MaintainxClient.ListedMeter meter : page.meters()) {
                if (wanted.contains(meter.id())) {
                    found.put(meter.id(), meter.lastReading());
                }
            }
            done(reads, found);
            cursor = page.nextCursor();
            if (cursor == null) {
                lap = walked - lapStart;
                lapStart = walked;
                reads.lastScanPages = lap;
            }
        }
    }

    private void done(TokenReads reads, Map<Long, LastReading> read) throws SQLException {
        if (read.isEmpty()) {
            return;
        }
        knowledge.learned(read, Instant.now());
        List<Runnable> callbacks = new ArrayList<>();
        synchronized (reads) {
            for (Long key : read.keySet()) {
                List<Runnable> waiting = reads.waiting.remove(key);
                ConnectorSettings asker = reads.askers.remove(key);
                reads.askedAt.remove(key);
                if (asker != null) {
                    reads.waitingByConnector.computeIfPresent(asker.name(), (c, w) -> w.meters() > 1 ? new Waiting(w.connector(), w.meters() - 1) : null);
                }
                if (waiting != null) {
                    callbacks.addAll(waiting);
                    reads.settled++;
                }
            }
        }
        // Each waiting value is released on its own: the meters are settled and known now, so a release that fails
        // must neither stop the others nor be taken for a read that failed (the settlement would not ask again).
        int failed = 0;
        RuntimeException first = null;
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                failed++;
                first = first == null ? e : first;
            }
        }
        if (failed > 0) {
            LOG.error("{} current values waiting for their meters could not be released after the settlement; they stay waiting (status"
                    + " currentValuesWaiting) until their tags change", failed, first);
        }
    }

    /**
     * What decides whether a batch in flight at a crash is at MaintainX ({@link BatchSettlement}):
     * the pair's knowledge of its meters, and, when that does not show one of the batch's own
     * readings, a read of up to {@value #BATCH_METERS_READ} of its meters, preferring those nobody is
     * known to have posted later (their last reading speaks for the batch).
     */
    Map<Long, LastReading> evidenceFor(ConnectorSettings connector, List<MeterReading> batch) throws IOException, InterruptedException, SQLException {
        Map<Long, LastReading> evidence = new HashMap<>();
        Map<Long, MeterReading> newestOfBatch = new LinkedHashMap<>();
        for (MeterReading r : batch) {
            Knowledge known = knowledge.of(r.referenceKey());
            if (known.held() != null) {
                evidence.put(r.referenceKey(), known.held());
            }
            newestOfBatch.merge(r.referenceKey(), r, (a, b) -> b.readingDate().isAfter(a.readingDate()) ? b : a);
        }
        if (BatchSettlement.isAtMaintainx(batch, evidence)) {
            return evidence;
        }
        List<Long> candidates = new ArrayList<>();
        List<Long> superseded = new ArrayList<>();
        newestOfBatch.forEach((key, r) -> {
            LastReading newest = knowledge.of(key).newest();
            (newest != null && newest.readingDate().isAfter(r.readingDate()) ? superseded : candidates).add(key);
        });
        candidates.addAll(superseded);
        TokenReads reads = tokens.computeIfAbsent(organization(connector), TokenReads::new);
        Map<Long, LastReading> read = new HashMap<>();
        for (long key : candidates.subList(0, Math.min(BATCH_METERS_READ, candidates.size()))) {
            LastReading last = readOne(connector, key, reads);
            read.put(key, last);
            if (last != null) {
                evidence.put(key, last);
            }
            if (BatchSettlement.isAtMaintainx(batch, evidence)) {
                break;
            }
        }
        knowledge.learned(read, Instant.now());
        return evidence;
    }

    /**
     * Readings this node's outbox kept through a restart that the peer's node delivered itself while
     * this one was down (same meter, date to the millisecond, value: it took over and sent the tag's
     * current value) are done, not sent a second time. Asks the peer first, for a few seconds at most.
     */
    void reconcile(ConnectorSettings connector, com.plantbridge.outbox.Outbox outbox) throws SQLException {
        List<com.plantbridge.outbox.OutboxReading> waiting = outbox.queue(connector.name()).peek(Integer.MAX_VALUE).stream()
                .filter(r -> r.capturedAtMillis() < startedAt).toList();
        if (waiting.isEmpty() || !knowledge.peerCurrent(java.time.Duration.ofSeconds(5))) {
            return;
        }
        List<com.plantbridge.outbox.OutboxReading> sent = new ArrayList<>();
        for (com.plantbridge.outbox.OutboxReading r : waiting) {
            LastReading held = knowledge.peer().get(r.reading().referenceKey()).held();
            if (held != null && BatchSettlement.isAtMaintainx(List.of(r.reading()), Map.of(r.reading().referenceKey(), held))) {
                sent.add(r);
            }
        }
        if (!sent.isEmpty()) {
            outbox.deliveredElsewhere(connector.name(), sent);
            LOG.info("Connector {}: {} readings kept through the restart were delivered meanwhile by the peer's node (the same readings); not sent again",
                    connector.name(), sent.size());
        }
    }

    /** A connector's settlement for status: its organisation's meters waiting to be read, meters read, requests spent, how. */
    public Map<String, Object> status(ConnectorSettings connector) {
        TokenReads reads = tokens.get(organization(connector));
        Map<String, Object> s = new LinkedHashMap<>();
        if (reads == null) {
            s.put("waiting", 0);
            s.put("waitingOfConnector", 0);
            s.put("settled", 0);
            s.put("requests", 0);
            s.put("mode", "idle");
            return s;
        }
        synchronized (reads) {
            s.put("waiting", reads.waiting.size());
            Waiting waiting = reads.waitingByConnector.get(connector.name());
            s.put("waitingOfConnector", waiting == null ? 0 : waiting.meters());
            s.put("settled", reads.settled);
            s.put("requests", reads.requests);
            s.put("pages", reads.pages);
            s.put("mode", reads.mode);
            s.put("since", reads.running ? reads.since : null);
            s.put("problem", reads.lastProblem);
        }
        return s;
    }

    /** Reads of MaintainX this node made to settle values and batches, over its life. */
    public long requests() {
        return tokens.values().stream().mapToLong(r -> r.requests).sum();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #evidenceFor} on the settlement's threads, so that a sender can stop while it waits. */
    java.util.concurrent.Future<Map<Long, LastReading>> evidenceAsync(ConnectorSettings connector, List<MeterReading> batch) {
        ExecutorService running = executor;
        if (running == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IOException("the settlement is not started"));
        }
        return running.submit(() -> evidenceFor(connector, batch));
    }

    @Override
    protected void doStart() {
        startedAt = System.currentTimeMillis();
        // One thread per token at most (up to 20): a token waiting for its share of the budget holds no other token up.
        executor = context.getExecutorServiceManager().newFixedThreadPool(this, "maintainx-settlement", 20);
        for (TokenReads reads : tokens.values()) {
            synchronized (reads) {
                if (reads.waiting.isEmpty() || reads.running) {
                    continue;
                }
                reads.running = true;
                reads.since = Instant.now();
            }
            executor.execute(() -> run(reads));
        }
    }

    @Override
    protected void doStop() {
        if (executor != null) {
            context.getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
    }
}
