package com.plantbridge.redundancy;

/**
 * What the tags hold back (open minimum-interval windows): the controller has it delivered while
 * this node still leads, before it hands over or stops. The tag component implements this.
 */
public interface PendingCaptures {

    /** Closes the open minimum-interval windows now. */
    void flushCaptured();
}
