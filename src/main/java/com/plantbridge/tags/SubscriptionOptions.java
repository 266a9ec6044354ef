package com.plantbridge.tags;

/**
 * What each monitored item asks the server for. camel-milo 4.17 sends none of these (docs/camel-defects.md),
 * so a change faster than the server's default sampling was lost; here they reach the server.
 * Sampling interval 0 asks for every change the gateway sees (report by exception), not a poll.
 */
public record SubscriptionOptions(double publishingIntervalMs, double samplingIntervalMs, int queueSize) {

    public static final SubscriptionOptions DEFAULT = new SubscriptionOptions(100, 0, 20);

    public SubscriptionOptions {
        if (publishingIntervalMs <= 0 || samplingIntervalMs < 0 || queueSize < 1) {
            throw new IllegalArgumentException("publishingInterval > 0, samplingInterval >= 0 and queueSize >= 1 are required");
        }
    }
}
