package com.plantbridge.maintainx;

import java.time.Duration;

/** Node-local sending settings (application.properties, maintainx.*). */
public record SenderSettings(int batchSize, Duration batchDelay, Duration maxBackoff, Duration authRetry) {

    public SenderSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("maintainx.batch-size: must be at least 1, got " + batchSize);
        }
        if (batchDelay.isNegative() || maxBackoff.isNegative() || authRetry.isNegative()) {
            throw new IllegalArgumentException("maintainx.batch-delay, maintainx.max-backoff, maintainx.auth-retry: must not be negative");
        }
    }
}
