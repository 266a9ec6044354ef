package com.plantbridge.maintainx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;

/**
 * MaintainX's meter list with last readings ({@code GET /meters?expand=last_reading}, every cursor
 * page) read once per token and organisation, not once per connector: the connectors of one token
 * start together at takeover and each read the whole list, spending the token's budget of 100
 * requests a minute several times over. A read gathers requests until every enabled connector of
 * its token has asked, or {@link #GATHER_MS} has passed, then runs once for all of them. A request
 * never joins a read that has already started, so no answer is older than its request.
 *
 * <p>MaintainX's "last reading" is the last to arrive (as its fake models it), so a node that sends
 * an old reading again after a crash makes it "last" and hides a newer one the other node posted.
 * {@link #newestHeld} therefore answers, per meter, the newest reading (by reading date) any read
 * of this process has seen: MaintainX never forgets a reading, so it still holds that one.
 */
final class MeterListReads {

    static final long GATHER_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(MeterListReads.class);

    /** Whose meter list: a token (by fingerprint, never the token itself) and organisation. */
    record Key(String token, Long organizationId) {
        static Key of(ConnectorSettings connector) {
            return new Key(fingerprint(connector.token().reveal()), connector.organizationId());
        }
    }

    private final Supplier<MaintainxClient> client;
    private final RateLimiters limiters;
    private final Supplier<ModuleSettings> settings;
    private final ScheduledExecutorService executor;
    private final java.util.function.Function<ConnectorSettings, Set<Long>> meterIds;
    private final Map<Key, Gathering> gathering = new HashMap<>();
    private final Map<Key, Map<Long, MaintainxClient.LastReading>> newest = new HashMap<>();

    /** @param meterIds a connector's meters: its tags' meter-ids and the meters found or created for its other tags */
    MeterListReads(Supplier<MaintainxClient> client, RateLimiters limiters, Supplier<ModuleSettings> settings, ScheduledExecutorService executor,
                   java.util.function.Function<ConnectorSettings, Set<Long>> meterIds) {
        this.meterIds = meterIds;
        this.client = client;
        this.limiters = limiters;
        this.settings = settings;
        this.executor = executor;
    }

    private static final class Gathering {
        final ConnectorSettings asker;
        final Set<String> expected;
        final Set<String> asked = new TreeSet<>();
        final Set<Long> meters = new HashSet<>();
        final CompletableFuture<Map<Long, MaintainxClient.LastReading>> result = new CompletableFuture<>();
        ScheduledFuture<?> deadline;
        boolean started;

        Gathering(ConnectorSettings asker, Set<String> expected) {
            this.asker = asker;
            this.expected = expected;
        }
    }

    /** The last reading of each of the connector's meters (and of {@code extra} meters), read with the connector's token. */
    CompletableFuture<Map<Long, MaintainxClient.LastReading>> lastReadings(ConnectorSettings connector, Set<Long> extra) {
        Key key = Key.of(connector);
        Gathering read;
        boolean complete;
        synchronized (this) {
            read = gathering.get(key);
            if (read == null) {
                read = new Gathering(connector, connectorsOf(key));
                gathering.put(key, read);
                Gathering scheduled = read;
                read.deadline = executor.schedule(() -> start(key, scheduled), GATHER_MS, TimeUnit.MILLISECONDS);
            }
            read.asked.add(connector.name());
            read.meters.addAll(extra);
            read.meters.addAll(meterIds.apply(connector));
            complete = read.asked.containsAll(read.expected);
        }
        if (complete) {
            start(key, read);
        }
        return read.result;
    }

    /** The newest reading of each meter any read has seen, merged into a new read's answer. */
    CompletableFuture<Map<Long, MaintainxClient.LastReading>> newestHeld(ConnectorSettings connector) {
        Key key = Key.of(connector);
        return lastReadings(connector, Set.of()).thenApply(read -> {
            synchronized (this) {
                Map<Long, MaintainxClient.LastReading> merged = new HashMap<>(read);
                newest.getOrDefault(key, Map.of()).forEach((meter, seen) -> merged.merge(meter, seen,
                        (a, b) -> b.readingDate().isAfter(a.readingDate()) ? b : a));
                return merged;
            }
        });
    }

    private synchronized void remember(Key key, Map<Long, MaintainxClient.LastReading> read) {
        Map<Long, MaintainxClient.LastReading> seen = newest.computeIfAbsent(key, k -> new HashMap<>());
        read.forEach((meter, last) -> seen.merge(meter, last, (a, b) -> b.readingDate().isAfter(a.readingDate()) ? b : a));
    }

    private Set<String> connectorsOf(Key key) {
        Set<String> names = new TreeSet<>();
        for (ConnectorSettings c : settings.get().enabledConnectors()) {
            if (Key.of(c).equals(key)) {
                names.add(c.name());
            }
        }
        return names;
    }

    private void start(Key key, Gathering read) {
        synchronized (this) {
            if (read.started) {
                return;
            }
            read.started = true;
            gathering.remove(key, read);
            if (read.deadline != null) {
                read.deadline.cancel(false);
            }
            for (ConnectorSettings c : settings.get().enabledConnectors()) {
                if (Key.of(c).equals(key)) {
                    read.meters.addAll(meterIds.apply(c));
                }
            }
        }
        executor.execute(() -> {
            try {
                Map<Long, MaintainxClient.LastReading> answer = client.get().lastReadings(read.asker, read.meters, limiters.forToken(read.asker));
                remember(key, answer);
                read.result.complete(answer);
            } catch (IOException e) {
                LOG.warn("Connectors {}: MaintainX's last readings could not be read ({}); a tag's current value is sent only if it changed after this node's gateway became Active",
                        read.asked, e.getMessage());
                read.result.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                read.result.completeExceptionally(e);
            } catch (RuntimeException e) {
                read.result.completeExceptionally(e);
            }
        });
    }

    static String fingerprint(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
