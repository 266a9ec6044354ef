package com.plantbridge.knowledge;

import java.time.Instant;

import com.plantbridge.reading.LastReading;

/**
 * What a node knows of one meter (or asset status) at MaintainX: {@code held}, the newest reading
 * known to be there (delivered with a 201, or read from MaintainX), with {@code settled} true when
 * that is known at all ({@code held} null then means MaintainX holds no reading); and
 * {@code onItsWay}, the newest reading the node accepted and has not seen confirmed, which its
 * outbox will deliver.
 */
public record Knowledge(LastReading held, boolean settled, LastReading onItsWay, Instant learnedAt) {

    public static final Knowledge NONE = new Knowledge(null, false, null, null);

    /** Anything at all: a reading held or on its way, or MaintainX read. */
    public boolean isKnown() {
        return settled || onItsWay != null;
    }

    /** The newest reading MaintainX holds or will hold, as far as this says; null when none. */
    public LastReading newest() {
        return later(held, onItsWay);
    }

    static LastReading later(LastReading a, LastReading b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.readingDate().isAfter(a.readingDate()) ? b : a;
    }

    /** {@code candidate} unless it is older than {@code existing}: of two readings in one millisecond, the later to arrive is MaintainX's last. */
    static LastReading replacing(LastReading existing, LastReading candidate) {
        if (candidate == null) {
            return existing;
        }
        return existing == null || !candidate.readingDate().isBefore(existing.readingDate()) ? candidate : existing;
    }

    /** Both nodes' knowledge of one meter, merged: the newest of each part. */
    Knowledge with(Knowledge other) {
        if (other == null || other == NONE) {
            return this;
        }
        Instant learned = learnedAt == null ? other.learnedAt
                : other.learnedAt == null || learnedAt.isAfter(other.learnedAt) ? learnedAt : other.learnedAt;
        return new Knowledge(later(held, other.held), settled || other.settled, later(onItsWay, other.onItsWay), learned);
    }
}
