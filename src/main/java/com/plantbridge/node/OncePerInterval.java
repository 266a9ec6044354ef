package com.plantbridge.node;

import java.time.Clock;
import java.time.Duration;

/**
 * Lets one log line through per interval and counts the events in between, so that a stream of
 * refused requests (one every few milliseconds from a scanner or an attacker) cannot flood the log.
 */
public final class OncePerInterval {

    private final Duration interval;
    private final Clock clock;
    private long lastMillis = Long.MIN_VALUE;
    private long skipped;

    public OncePerInterval(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Records one event; returns how many earlier events went unlogged (0 or more) when this one
     * may be logged, or -1 when it must not.
     */
    public synchronized long event() {
        long now = clock.millis();
        if (lastMillis != Long.MIN_VALUE && now - lastMillis < interval.toMillis()) {
            skipped++;
            return -1;
        }
        lastMillis = now;
        long unlogged = skipped;
        skipped = 0;
        return unlogged;
    }
}
