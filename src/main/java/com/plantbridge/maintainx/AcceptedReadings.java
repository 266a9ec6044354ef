package com.plantbridge.maintainx;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import com.plantbridge.reading.MeterReading;

/**
 * Which readings of an exchange reached the outbox, whatever the user's route did to the body on
 * the way (split, filter, choice): the exchange carries this under {@link #PROPERTY}, copies of the
 * exchange share it, and the tag consumer learns from it which readings were not taken.
 */
public final class AcceptedReadings {

    public static final String PROPERTY = "BridgeAcceptedReadings";

    private final Set<MeterReading> accepted = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    void addAll(List<MeterReading> readings) {
        accepted.addAll(readings);
    }

    public boolean contains(MeterReading reading) {
        return accepted.contains(reading);
    }
}
