package com.plantbridge.tags;

import java.util.Map;

import com.plantbridge.maintainx.MaintainxClient.LastReading;

/**
 * What a tag's current value at (re)subscription is compared with, per meter: MaintainX's last
 * readings, what this node's outbox still holds and what the peer's node handed over. {@code
 * maintainxKnown} is false when MaintainX could not be asked: a meter missing from the map is then
 * unknown, not new.
 */
public record ReferenceReadings(Map<Long, LastReading> byMeter, boolean maintainxKnown) {

    public static ReferenceReadings known(Map<Long, LastReading> byMeter) {
        return new ReferenceReadings(byMeter, true);
    }

    public static ReferenceReadings withoutMaintainx(Map<Long, LastReading> byMeter) {
        return new ReferenceReadings(byMeter, false);
    }
}
