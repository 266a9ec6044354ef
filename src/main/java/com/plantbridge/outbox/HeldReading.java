package com.plantbridge.outbox;

/**
 * What MaintainX holds of one meter (or asset status, by reference key), as this node learned it:
 * from a 201 of its own, or read from MaintainX. {@code readingDateMillis} is {@link #NO_READING}
 * when MaintainX was read and holds none. Kept with the delivery that taught it, in one transaction.
 */
public record HeldReading(long key, double value, long readingDateMillis, long learnedAtMillis) {

    public static final long NO_READING = Long.MIN_VALUE;

    public boolean hasReading() {
        return readingDateMillis != NO_READING;
    }
}
