package com.plantbridge.redundancy;

import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * camel-master's cluster service for a redundant Ignition pair: this node leads every namespace
 * exactly while {@link LeadershipController} grants it leadership (its gateway Active, the module
 * enabled, no redundancy error). There is no election: the gateways already decided.
 */
public final class RedundancyClusterService extends AbstractCamelClusterService<RedundancyClusterView> {

    private final String nodeName;
    private volatile boolean leader;

    public RedundancyClusterService(String nodeName) {
        super("ignition-redundancy");
        this.nodeName = nodeName;
    }

    @Override
    protected RedundancyClusterView createView(String namespace) {
        return new RedundancyClusterView(this, namespace, nodeName, leader);
    }

    /** Called on the controller's routes thread only, so views change in the order decisions were made. */
    void setLeader(boolean value) throws Exception {
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
