package com.plantbridge.redundancy;

import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * camel-master's cluster service for a redundant Ignition pair: this node leads every namespace
 * exactly while {@link LeadershipController} grants it leadership (its gateway Active, the module
 * enabled, no redundancy error). There is no election: the gateways already decided.
 *
 * <p>Routes under {@code ClusteredRoutePolicy} are added and removed through {@link #changeRoutes},
 * never while a leadership change is being passed on. Measured defect (camel-cluster 4.17,
 * RoutesAddedWhileLeadershipChangesTest): the policy's {@code onInit} adds a new route to the route
 * sets that its leadership change iterates, without the lock that change holds, and one of the two
 * threads fails with a ConcurrentModificationException: the leadership change leaves routes
 * unstarted, or the route cannot be added.
 */
public final class RedundancyClusterService extends AbstractCamelClusterService<RedundancyClusterView> {

    private final String nodeName;
    private final Object leadershipChange = new Object();
    private volatile boolean leader;

    public RedundancyClusterService(String nodeName) {
        super("ignition-redundancy");
        this.nodeName = nodeName;
    }

    @Override
    protected RedundancyClusterView createView(String namespace) {
        return new RedundancyClusterView(this, namespace, nodeName, leader);
    }

    /** Runs a change of the leader-only routes (adding, removing) while no leadership change is passed on to them. */
    public void changeRoutes(RouteChange change) throws Exception {
        synchronized (leadershipChange) {
            change.run();
        }
    }

    /** Called on the controller's routes thread only, so views change in the order decisions were made. */
    void setLeader(boolean value) throws Exception {
        synchronized (leadershipChange) {
            leader = value;
            for (String namespace : getNamespaces()) {
                RedundancyClusterView view = (RedundancyClusterView) getView(namespace);
                try {
                    view.setLeader(value);
                } finally {
                    releaseView(view);
                }
            }
        }
    }

    /** A change of routes that may fail as Camel's route operations do. */
    @FunctionalInterface
    public interface RouteChange {
        void run() throws Exception;
    }
}
