package com.plantbridge.maintainx;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.plantbridge.reading.MeterReading;

/**
 * One {@code POST /meterreadings} that carries, besides its sender's own batch, the due readings of
 * other connectors of the same token and organisation that wait for a request slot. MaintainX takes
 * readings of any meters in one request and counts requests, not readings: twenty connectors on one
 * token (100 requests a minute) would otherwise queue twenty requests for twenty changed tags.
 *
 * <p>Only the request is shared. Each connector cuts its own part, marks it in flight as its own batch
 * before the request and settles it as its own after a crash, so order and exactly-once stay per
 * connector. A 201 delivers every part. After a refusal each part is sent again alone, so the refusal
 * is read against the readings it names and one connector's bad reading holds up no other; after a
 * 429, 401 or 5xx each part waits and retries as it would alone, and may share its next request.
 */
final class SharedPost {

    /** How long the sender waits for a connector that took a seat to hand in its part (cut it and mark it in flight). */
    static final long LOADING_MS = 250;

    private final Long organizationId;
    // Guarded by the organisation's lock while boarding; seats and their parts by this object.
    private int room;
    private boolean boarding = true;
    private final List<Seat> seats = new ArrayList<>();
    private boolean departed;

    SharedPost(Long organizationId, int room) {
        this.organizationId = organizationId;
        this.room = room;
    }

    /** A seat for a connector that needs at least {@code least} readings' room and would take up to {@code most}; null if none. */
    synchronized Seat board(Long organization, int least, int most) {
        if (!boarding || !Objects.equals(organizationId, organization) || least > room) {
            return null;
        }
        Seat seat = new Seat(Math.min(room, Math.max(least, most)));
        room -= seat.room;
        seats.add(seat);
        return seat;
    }

    synchronized boolean fits(Long organization, int least) {
        return boarding && Objects.equals(organizationId, organization) && least <= room;
    }

    synchronized void closeBoarding() {
        boarding = false;
    }

    synchronized boolean hasSeats() {
        return !seats.isEmpty();
    }

    /**
     * Waits up to {@link #LOADING_MS} for every seat to hand in its part or leave, and returns the parts in boarding
     * order; a seat that has not by then is told the request left without it.
     */
    synchronized List<MeterReading> depart() {
        long deadline = System.currentTimeMillis() + LOADING_MS;
        boolean interrupted = false;
        while (seats.stream().anyMatch(s -> !s.loaded && !s.left)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        departed = true;
        notifyAll();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<MeterReading> parts = new ArrayList<>();
        for (Seat seat : seats) {
            if (seat.loaded) {
                parts.addAll(seat.part);
            }
        }
        return parts;
    }

    /** MaintainX's answer (or, with status 0, none) to every part that went. */
    synchronized void answer(PostOutcome outcome) {
        for (Seat seat : seats) {
            seat.outcome = outcome;
        }
        notifyAll();
    }

    /** A place in another connector's request: {@link #room} readings at most. */
    final class Seat implements TokenBudget.Grant {
        private final int room;
        private List<MeterReading> part;
        private boolean loaded;
        private boolean left;
        private PostOutcome outcome;

        private Seat(int room) {
            this.room = room;
        }

        int room() {
            return room;
        }

        /**
         * Hands in the part and waits for MaintainX's answer, as long as the request takes (it ends with its
         * time-out); empty when the request left without it, and the part then needs a slot of its own.
         */
        Optional<PostOutcome> ride(List<MeterReading> readings) {
            synchronized (SharedPost.this) {
                if (departed || readings.size() > room) {
                    left = true;
                    SharedPost.this.notifyAll();
                    return Optional.empty();
                }
                part = List.copyOf(readings);
                loaded = true;
                SharedPost.this.notifyAll();
                boolean interrupted = false;
                while (outcome == null) {
                    try {
                        SharedPost.this.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;   // the part is in a request: its answer decides, as for the sender's own
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return Optional.of(outcome);
            }
        }

        /** Gives the seat up: nothing to carry, or something that cannot share a request (an asset status). */
        void leave() {
            synchronized (SharedPost.this) {
                left = true;
                SharedPost.this.notifyAll();
            }
        }
    }
}
