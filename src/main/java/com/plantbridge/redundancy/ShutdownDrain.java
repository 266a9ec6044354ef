package com.plantbridge.redundancy;

/**
 * What must end at shutdown once this node has stopped leading and before Camel stops its
 * components: the senders deliver what they accepted while camel-http's connection pool is still
 * open. Camel stops components before the services added with {@code addService}, so a drain in a
 * service's own stop found the pool shut down and waited out its time for nothing.
 */
public interface ShutdownDrain {

    /** Delivers what waits, for a bounded time; returns when done or when the time is up. */
    void drainAfterLeadership() throws InterruptedException;
}
