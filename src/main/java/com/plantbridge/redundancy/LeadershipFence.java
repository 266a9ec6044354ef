package com.plantbridge.redundancy;

import com.plantbridge.maintainx.ConnectorSender;

/**
 * Whether this node leads now, checked where readings are accepted: camel-master 4.17 can drop a
 * leadership-lost event that arrives while a consumer is starting, so stopping the routes alone
 * could leave a second sender. Written only by the {@link LeadershipController}.
 */
public final class LeadershipFence implements ConnectorSender.Leadership {

    private volatile boolean leader;
    private volatile long term;

    @Override
    public boolean isLeader() {
        return leader;
    }

    /** Counts the times this node took leadership since it started; stored with each reading. */
    @Override
    public long term() {
        return term;
    }

    void lead() {
        term++;
        leader = true;
    }

    void stand() {
        leader = false;
    }
}
