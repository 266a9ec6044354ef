package com.plantbridge.outbox;

import java.util.List;

/**
 * Who keeps what the outbox's deliveries teach about MaintainX (the node's knowledge of what it
 * holds). Asked inside the delivery's transaction which rows are new, so that a reading counted as
 * delivered and the knowledge that it is at MaintainX survive a crash together: knowledge written a
 * moment later would, after a kill, let the node take a value it had delivered for a new one.
 */
public interface DeliveryRecord {

    /** Of readings MaintainX now holds, what is newer than known (newest per key); called under the outbox's lock. */
    List<HeldReading> toKeep(List<OutboxReading> delivered);

    /** The rows were committed. */
    void kept(List<HeldReading> rows);

    /** Readings left the line without reaching MaintainX (quarantined, merged at the bound). */
    default void dropped(List<OutboxReading> readings) {
    }

    DeliveryRecord NONE = new DeliveryRecord() {
        @Override
        public List<HeldReading> toKeep(List<OutboxReading> delivered) {
            return List.of();
        }

        @Override
        public void kept(List<HeldReading> rows) {
        }
    };
}
