package com.plantbridge.maintainx;

import java.time.Duration;

/**
 * What the senders tell the node's metrics and status page: every answer of MaintainX, every
 * reading delivered or quarantined. A sender's own counters start again with each new sender (a
 * settings change); these events add up for the node's life.
 */
public interface SenderEvents {

    SenderEvents NONE = new SenderEvents() {
    };

    /** One POST /meterreadings and how it ended; {@code status} 0 when no HTTP answer came. */
    default void answered(String connector, int status, Duration took) {
    }

    default void delivered(String connector, int readings) {
    }

    default void quarantined(String connector, int readings) {
    }
}
