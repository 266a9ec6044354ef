package com.plantbridge.redundancy;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * As the Camel context begins to stop, before it shuts the routes down: gives up leadership (the
 * connector routes stop as on any loss of leadership) and stops the leadership controller and the
 * cluster service, so that nothing takes leadership while the routes are being shut down. Then
 * the senders drain ({@link ShutdownDrain}), while the HTTP client is still open.
 *
 * <p>Measured defect (camel-cluster 4.17, ShutdownWhileTakingLeadershipTest): a node stopped while
 * it was taking leadership hung for good. The leadership thread held ClusteredRoutePolicy's lock
 * and was starting a route whose RouteService lock the stop held, while the stop, shutting that
 * route down, waited for the policy's lock (in {@code ClusteredRoutePolicy.releaseClusterView}).
 * The controller and the cluster service used to stop with the other services, after the routes.
 */
final class StopLeadershipFirst extends SimpleEventNotifierSupport {

    private final LeadershipController controller;
    private final RedundancyClusterService cluster;
    private final ShutdownDrain drain;

    StopLeadershipFirst(LeadershipController controller, RedundancyClusterService cluster, ShutdownDrain drain) {
        this.controller = controller;
        this.cluster = cluster;
        this.drain = drain;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) throws InterruptedException {
        // A context that failed to start stops too: only what was started is stopped here.
        boolean started = controller.isStarted();
        if (started) {
            controller.stop();
        }
        if (cluster.isStarted()) {
            cluster.stop();
        }
        if (started) {
            drain.drainAfterLeadership();
        }
    }
}
