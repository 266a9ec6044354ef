package com.plantbridge.redundancy;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * A view whose only member is this node, leader exactly when the redundancy controller says so.
 * The flag is set before the event fires, because camel-master's consumers and the clustered route
 * policy read {@code getLocalMember().isLeader()} rather than the event's argument.
 */
final class RedundancyClusterView extends AbstractCamelClusterView {

    private final LocalMember local;
    private volatile boolean leader;

    RedundancyClusterView(CamelClusterService cluster, String namespace, String nodeName, boolean leader) {
        super(cluster, namespace);
        this.local = new LocalMember(nodeName);
        this.leader = leader;
    }

    void setLeader(boolean value) {
        if (leader == value) {
            return;
        }
        leader = value;
        fireLeadershipChangedEvent(value ? local : null);
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local);
    }

    @Override
    protected void doStart() {
    }

    @Override
    protected void doStop() {
    }

    private final class LocalMember implements CamelClusterMember {
        private final String id;

        LocalMember(String id) {
            this.id = id;
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return id;
        }
    }
}
