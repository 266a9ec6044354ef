package com.plantbridge.redundancy;

/**
 * Whether the readings of a capture (one OPC UA notification, or a minimum-interval window closing)
 * are this node's to send: decided when the capture begins, and held until it has reached the
 * outbox. {@link LeadershipFence} is the one the node uses; the tag consumer asks it.
 */
public interface CaptureFence {

    /** True, and counted until {@link #exitCapture()}, when this node may send what it captures now. */
    boolean enterCapture();

    void exitCapture();

    /** A node that always sends what it captures (no redundant pair, tests). */
    CaptureFence ALWAYS = new CaptureFence() {
        @Override
        public boolean enterCapture() {
            return true;
        }

        @Override
        public void exitCapture() {
        }
    };
}
