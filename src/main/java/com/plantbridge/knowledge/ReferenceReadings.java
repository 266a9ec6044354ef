package com.plantbridge.knowledge;

import java.time.Instant;

import com.plantbridge.reading.LastReading;
import com.plantbridge.settings.ConnectorSettings;

/**
 * What a tag's current value at (re)subscription is compared with, per meter: the newest reading
 * MaintainX holds or will hold, as far as the pair knows. A meter nobody knows anything of, or a
 * value the old leader may have captured after what it told this node, is unsettled: the value
 * waits while the reference is settled in the background. Changes never wait.
 */
public interface ReferenceReadings {

    /** {@code newest} null with {@code settled}: MaintainX holds no reading of the meter. */
    record Reference(boolean settled, LastReading newest) {

        public static final Reference UNSETTLED = new Reference(false, null);
    }

    Reference of(ConnectorSettings connector, long key, Instant valueDate);

    /** Settles the meter's reference in the background; {@code whenSettled} runs once {@link #of} can say. */
    void settle(ConnectorSettings connector, long key, Runnable whenSettled);

    /** Nothing known and nothing to settle (tests of the filter alone): every value is compared with this node's own last one. */
    ReferenceReadings NONE = new ReferenceReadings() {
        @Override
        public Reference of(ConnectorSettings connector, long key, Instant valueDate) {
            return new Reference(true, null);
        }

        @Override
        public void settle(ConnectorSettings connector, long key, Runnable whenSettled) {
            whenSettled.run();
        }
    };
}
