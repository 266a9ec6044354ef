package com.plantbridge.tags;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.MeterDirectory;
import com.plantbridge.settings.ConnectorSettings;

/**
 * Keeps a running connector's subscription in step with its folders: a scan as the route starts,
 * then every {@code rescan-interval}, and at once when asked (settings saved, POST /api/rescan).
 * New tags start streaming and removed ones stop on the live subscription; the route keeps running.
 * One INFO line per scan with the counts, each tag at DEBUG. Scans of one connector never overlap:
 * a request during a scan runs once after it.
 */
final class FolderRescans {

    private static final Logger LOG = LoggerFactory.getLogger(FolderRescans.class);
    /** Wait between attempts while there is no OPC UA session or a scan failed. */
    static final long RETRY_MS = 1_000;
    private static final long UPDATE_TIMEOUT_S = 120;

    private final ConnectorSettings connector;
    private final GatewayConnection gateway;
    private final TagSubscription subscription;
    private final ConnectorCatalogue catalogue;
    private final MeterDirectory meters;
    private final ScheduledExecutorService executor;
    private final LimitReports limits;
    private final Object lock = new Object();
    private volatile TagScan last;
    private volatile boolean stopped;
    // Guarded by lock.
    private boolean running;
    private String again;
    private ScheduledFuture<?> periodic;
    private ScheduledFuture<?> retry;

    FolderRescans(ConnectorSettings connector, GatewayConnection gateway, TagSubscription subscription, ConnectorCatalogue catalogue,
                  MeterDirectory meters, ScheduledExecutorService executor, LimitReports limits) {
        this.connector = connector;
        this.gateway = gateway;
        this.subscription = subscription;
        this.catalogue = catalogue;
        this.meters = meters;
        this.executor = executor;
        this.limits = limits;
    }

    void start() {
        long every = connector.rescanInterval().toMillis();
        synchronized (lock) {
            periodic = executor.scheduleWithFixedDelay(() -> run("every " + connector.rescanInterval().toString().substring(2).toLowerCase()),
                    every, every, TimeUnit.MILLISECONDS);
        }
        request("start");
    }

    void stop() {
        stopped = true;
        synchronized (lock) {
            if (periodic != null) {
                periodic.cancel(false);
            }
            if (retry != null) {
                retry.cancel(false);
            }
        }
    }

    /** A scan now (or right after the one running), off the caller's thread. */
    void request(String reason) {
        try {
            executor.execute(() -> run(reason));
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** The last scan; empty until the first one has put its tags in the subscription. */
    Optional<TagScan> last() {
        return Optional.ofNullable(last);
    }

    private void run(String reason) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (running) {
                again = reason;
                return;
            }
            running = true;
        }
        try {
            scan(reason);
        } finally {
            String next;
            synchronized (lock) {
                running = false;
                next = again;
                again = null;
            }
            if (next != null) {
                request(next);
            }
        }
    }

    private void scan(String reason) {
        Optional<OpcUaClient> client = gateway.client();
        if (client.isEmpty()) {
            retryLater(reason);   // the scan runs once the session is back
            return;
        }
        TagScan scan;
        TagSubscription.Changes changes;
        try {
            scan = catalogue.scan(client.get(), gateway.tagNamespaceIndex(client.get()));
            changes = subscription.update(scan.tags()).get(UPDATE_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            if (!stopped) {
                LOG.warn("Connector {}: scanning its folders failed ({}); the tags already subscribed keep streaming; trying again in {} s",
                        connector.name(), Problem.rootMessage(e), RETRY_MS / 1000);
                retryLater(reason);
            }
            return;
        }
        last = scan;
        log(reason, scan, changes);
        limits.report(connector.name(), scan);
        List<MeterDirectory.MeterNeed> needs = scan.needs().stream()
                .filter(need -> meters.meterOf(connector.name(), need.tagPath()) == 0).toList();
        if (!needs.isEmpty()) {
            meters.need(connector, needs);
        }
    }

    private void retryLater(String reason) {
        synchronized (lock) {
            // A retry still waiting covers this one; the retry running now (its delay is over) does not:
            // measured, a session that came up more than one retry late left the folders unscanned for good.
            if (stopped || (retry != null && !retry.isDone() && retry.getDelay(TimeUnit.MILLISECONDS) > 0)) {
                return;
            }
            try {
                retry = executor.schedule(() -> run(reason), RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** One INFO line whatever the number of tags; each tag at DEBUG. */
    private void log(String reason, TagScan scan, TagSubscription.Changes changes) {
        Map<String, Long> skipped = scan.skippedByReason();
        LOG.info("Connector {}: scan of {} folders ({}): found {} tags, monitoring {}, added {}, removed {}, skipped {} {}{}{}",
                connector.name(), connector.folders().size(), reason, scan.found(), scan.tags().size(), changes.added().size(),
                changes.removed().size(), scan.skipped().size(), skipped,
                scan.overLimit() ? ", " + scan.dropped() + " over the limit of " + scan.max() : "",
                scan.problems().isEmpty() ? "" : "; problems: " + scan.problems());
        if (LOG.isDebugEnabled()) {
            changes.added().forEach(tag -> LOG.debug("Connector {}: tag {} added", connector.name(), tag));
            changes.removed().forEach(tag -> LOG.debug("Connector {}: tag {} removed", connector.name(), tag));
            scan.skipped().forEach((tag, why) -> LOG.debug("Connector {}: tag {} skipped: {}", connector.name(), tag, why));
        }
    }
}
