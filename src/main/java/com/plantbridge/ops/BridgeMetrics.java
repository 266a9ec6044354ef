package com.plantbridge.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.SenderEvents;
import com.plantbridge.mirror.PairLink;
import com.plantbridge.outbox.Outbox;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;
import com.plantbridge.tags.GatewayConnection;
import com.plantbridge.tags.IgnitionTagsComponent;
import com.plantbridge.tags.TagCounts;

/**
 * The node's business meters in Camel's Micrometer registry (Prometheus on /observe/metrics),
 * named {@value #PREFIX}*. The MaintainX POST runs outside any route, so Camel's route meters never
 * saw requests, 429s, deliveries or the outbox; the counters here add up for the node's life, across
 * senders replaced by a settings change. docs/operations.md (Metrics) lists every name.
 */
public final class BridgeMetrics implements SenderEvents {

    public static final String PREFIX = "bridge.";
    /** The requests to MaintainX, which no route meter sees. */
    private static final String MAINTAINX = PREFIX + "maintainx.";

    private final MeterRegistry registry;
    private final IgnitionTagsComponent tags;
    private final MaintainxSenders senders;
    private final Outbox outbox;
    private final RequestWindow window;
    private final Set<String> connectors = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();
    private final Map<String, Counter> quarantined = new ConcurrentHashMap<>();
    private final Map<String, Counter> tooManyRequests = new ConcurrentHashMap<>();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    public BridgeMetrics(MeterRegistry registry, IgnitionTagsComponent tags, MaintainxSenders senders, Outbox outbox, RequestWindow window) {
        this.registry = registry;
        this.tags = tags;
        this.senders = senders;
        this.outbox = outbox;
        this.window = window;
    }

    /** Leadership, the OPC UA session and the settings mirror: one of each per node. */
    public void bindNode(LeadershipController leadership, GatewayConnection gateway, PairLink pair) {
        Gauge.builder(PREFIX + "leader", leadership, l -> l.isLeader() ? 1 : 0)
                .strongReference(true).description("1 while this node leads (sends readings), else 0").register(registry);
        FunctionCounter.builder(PREFIX + "leadership.changes", leadership, LeadershipController::changes)
                .description("Leadership taken or given up since the node started").register(registry);
        TimeGauge.builder(PREFIX + "failover.last.duration", leadership, TimeUnit.MILLISECONDS,
                        l -> l.lastTakeover().map(Duration::toMillis).orElse(0L))
                .strongReference(true).description("Last takeover: from this node's gateway going Active to this node leading").register(registry);
        Gauge.builder(PREFIX + "opcua.session.active", gateway, g -> g.isSessionActive() ? 1 : 0)
                .strongReference(true).description("1 while the OPC UA session to this node's gateway is up").register(registry);
        FunctionCounter.builder(PREFIX + "opcua.reconnects", gateway, GatewayConnection::sessionRecoveries)
                .description("OPC UA sessions recovered after a loss").register(registry);
        Gauge.builder(PREFIX + "mirror.version.lag", pair, BridgeMetrics::mirrorLag)
                .strongReference(true).description("Settings versions the Backup's node is behind the Master's (as seen from this node)").register(registry);
    }

    /** Versions between the Master's node's settings and the Backup's node's, as far as this node knows; 0 without a peer. */
    static long mirrorLag(PairLink pair) {
        return pair.mirror().map(mirror -> {
            if (mirror.isMastersNode()) {
                return Math.max(0, mirror.version() - mirror.confirmedVersion());
            }
            long masters = pair.peerView().map(view -> view.settingsVersion()).orElse(mirror.version());
            return Math.max(0, masters - mirror.version());
        }).orElse(0L);
    }

    /** Meters of every connector of the settings (a connector's meters stay once made: counters must not vanish). */
    public void bindConnectors(ModuleSettings settings) {
        for (ConnectorSettings connector : settings.connectors()) {
            String name = connector.name();
            if (!connectors.add(name)) {
                continue;
            }
            TagCounts counts = tags.counts(name);
            FunctionCounter.builder(PREFIX + "readings.received", counts, TagCounts::received).tag("connector", name)
                    .description("Tag values received from the gateway").register(registry);
            FunctionCounter.builder(PREFIX + "readings.passed.filter", counts, TagCounts::passedFilter).tag("connector", name)
                    .description("Readings that passed quality, change, deadband and minimum-interval filters").register(registry);
            FunctionCounter.builder(PREFIX + "readings.accepted", senders, s -> s.accepted(name)).tag("connector", name)
                    .description("Readings written to the outbox").register(registry);
            delivered(name);
            quarantined(name);
            tooManyRequests(name);
            requests(name, "2xx");   // present from the start, as Prometheus alerting on rates needs
            duration(name);
            Gauge.builder(PREFIX + "outbox.pending", outbox, o -> o.counts(name).pending() + o.counts(name).inFlight()).tag("connector", name)
                    .strongReference(true).description("Readings waiting for MaintainX (in line and in flight)").register(registry);
            TimeGauge.builder(PREFIX + "outbox.oldest.age", outbox, TimeUnit.MILLISECONDS, o -> oldestAgeMillis(o.oldestWaiting(name).orElse(null)))
                    .tag("connector", name).strongReference(true).description("Age of the oldest reading waiting for MaintainX; 0 when none waits").register(registry);
        }
    }

    private static long oldestAgeMillis(Instant oldest) {
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis());
    }

    @Override
    public void answered(String connector, int status, Duration took) {
        requests(connector, status == 0 ? "none" : (status / 100) + "xx").increment();
        duration(connector).record(took);
        if (status == 429) {
            tooManyRequests(connector).increment();
        }
        window.record(connector, status == 429);
    }

    @Override
    public void delivered(String connector, int readings) {
        delivered(connector).increment(readings);
    }

    @Override
    public void quarantined(String connector, int readings) {
        quarantined(connector).increment(readings);
    }

    private Counter requests(String connector, String statusClass) {
        return requests.computeIfAbsent(connector + '|' + statusClass, key -> Counter.builder(MAINTAINX + "requests")
                .tag("connector", connector).tag("status", statusClass)
                .description("POST /meterreadings by answer: 2xx, 4xx, 5xx, none (no answer)").register(registry));
    }

    private Timer duration(String connector) {
        return durations.computeIfAbsent(connector, name -> Timer.builder(MAINTAINX + "request.duration").tag("connector", name)
                .description("Time of one POST /meterreadings until its answer").register(registry));
    }

    private Counter delivered(String connector) {
        return delivered.computeIfAbsent(connector, name -> Counter.builder(PREFIX + "readings.delivered").tag("connector", name)
                .description("Readings MaintainX answered 201 for").register(registry));
    }

    private Counter quarantined(String connector) {
        return quarantined.computeIfAbsent(connector, name -> Counter.builder(PREFIX + "readings.quarantined").tag("connector", name)
                .description("Readings kept in quarantine (refused by MaintainX, refused meter, too old)").register(registry));
    }

    private Counter tooManyRequests(String connector) {
        return tooManyRequests.computeIfAbsent(connector, name -> Counter.builder(MAINTAINX + "too.many.requests").tag("connector", name)
                .description("429 answers of MaintainX").register(registry));
    }

    /** Readings delivered by a connector since the node started. */
    public long deliveredCount(String connector) {
        Counter counter = delivered.get(connector);
        return counter == null ? 0 : (long) counter.count();
    }
}
