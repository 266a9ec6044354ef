package com.plantbridge.tags;

import com.plantbridge.reading.MeterReading;

/** Where a connector's filtered readings go; the readings of one server notification come between start and end. */
public interface ReadingSink {

    void reading(MeterReading reading);

    default void notificationStart() {
    }

    default void notificationEnd() {
    }
}
