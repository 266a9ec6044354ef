package com.plantbridge.maintainx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What one token may send: its own budget (MaintainX: 100 requests a minute per user) and the
 * budget its organisation shares with every other token of it (500 a minute for all users of one
 * organisation), both counted here and kept in step with the rate-limit headers. Twenty connectors
 * with twenty tokens in one organisation therefore share 500 requests a minute, not 2,000.
 *
 * <p>Readings come first. A read of MaintainX (settling current values or a batch in flight at a
 * crash) takes at most {@link #readShare} requests a window while readings of the token wait, each in
 * its turn in line with them; with no reading waiting it never takes one of the last {@link #reserve}
 * requests of the token's or the organisation's window. So a read delays readings by at most its turn,
 * and, counted against what MaintainX's headers say is left, never causes a 429. Finding and creating meters has a share of
 * its own ({@code maintainx.meter-creation.share}) under the same reserve.
 */
public final class TokenBudget {

    /** Waits are re-checked at least this often: an answer may have changed what is left. */
    private static final long RECHECK_MS = 1_000;
    private static final long TURN_RECHECK_MS = 50;

    /** What a sender waiting for readings gets: a request of its own, or a seat in another connector's. */
    public sealed interface Grant permits Ticket, SharedPost.Seat {
    }

    /** A request taken: its ticket in the token's and the organisation's order of requests. */
    public record Ticket(long token, long organization) implements Grant {
    }

    /**
     * A sender of readings that may ride in another connector's request ({@link SharedPost}): of its organisation,
     * needing room for at least {@code least} readings and taking up to what {@code most} says when it boards.
     */
    record Rider(Long organizationId, int least, java.util.function.IntSupplier most) {
    }

    /** One request in line: what it is for, and who may ride instead (null: it needs its own). */
    private record Waiter(Use use, Rider rider) {
    }

    /** How long a sender holding a request waits for the connectors in line to take a seat in it. */
    private static final long BOARDING_MS = 50;

    /** What a request is for: readings, a read of MaintainX's state, or finding and creating meters. */
    enum Use { READINGS, READS, METERS }

    private final String name;
    private final RateLimiter token;
    private final OrganizationBudget organization;
    private final RateLimiter reads;
    private final RateLimiter meters;
    private final Map<String, BooleanSupplier> waitingReadings = new ConcurrentHashMap<>();
    /** Requests that may go as soon as the budget lets them, in the order they became so (under the organisation's lock). */
    private final java.util.TreeMap<Long, Waiter> inLine = new java.util.TreeMap<>();
    private long lastInLine;
    /** The request whose seats the connectors in line may take now (under the organisation's lock); null when none boards. */
    private SharedPost boarding;

    TokenBudget(String name, RateLimiter token, OrganizationBudget organization, int readPercent, int meterPercent) {
        this.name = name;
        this.token = token;
        this.organization = organization;
        this.reads = new RateLimiter(share(token.limit(), readPercent), token.windowMs());
        this.meters = new RateLimiter(share(token.limit(), meterPercent), token.windowMs());
    }

    static int share(int limit, int percent) {
        return Math.max(1, limit * percent / 100);
    }

    /** The token's own limiter (its count and what MaintainX said of it). */
    public RateLimiter token() {
        return token;
    }

    public OrganizationBudget organization() {
        return organization;
    }

    /** Requests a window reads may take while readings of this token wait. */
    public int readShare() {
        return reads.limit();
    }

    /** The last requests of a window that only readings take. */
    public int reserve() {
        return Math.max(1, token.limit() / 10);
    }

    /** Reads of MaintainX counted in the current window. */
    public int readsInWindow() {
        return reads.limit() - reads.remaining();
    }

    /** Tells the budget whether a connector of this token has readings waiting (its reads then keep to their share). */
    void readingsOf(String connector, BooleanSupplier waiting) {
        waitingReadings.put(connector, waiting);
    }

    boolean readingsWait() {
        for (BooleanSupplier waiting : waitingReadings.values()) {
            if (waiting.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Blocks until a request for readings may be sent. */
    public Ticket acquire() throws InterruptedException {
        return (Ticket) take(Use.READINGS, Long.MAX_VALUE, null);
    }

    /** A request for readings if one is free within {@code maxWaitMillis}, else null. */
    public Ticket tryAcquire(long maxWaitMillis) throws InterruptedException {
        return (Ticket) take(Use.READINGS, maxWaitMillis, null);
    }

    /** Blocks until a request for readings may be sent, or a seat in another connector's request is free for the rider. */
    Grant acquire(Rider rider) throws InterruptedException {
        return take(Use.READINGS, Long.MAX_VALUE, rider);
    }

    /** As {@link #acquire(Rider)}, if one comes within {@code maxWaitMillis}; else null. */
    Grant tryAcquire(long maxWaitMillis, Rider rider) throws InterruptedException {
        return take(Use.READINGS, maxWaitMillis, rider);
    }

    /**
     * Offers the rest of a request just taken ({@code room} readings) to the connectors of the organisation waiting
     * in line for readings, and waits up to {@link #BOARDING_MS} for them to take their seats. Null when nobody took
     * one: the request carries its sender's batch alone.
     */
    SharedPost offerRoom(Long organizationId, int room) throws InterruptedException {
        if (room <= 0) {
            return null;
        }
        Object lock = organization.lock();
        synchronized (lock) {
            SharedPost post = new SharedPost(organizationId, room);
            if (!riderFits(post)) {
                return null;
            }
            boarding = post;
            lock.notifyAll();
            long deadline = System.currentTimeMillis() + BOARDING_MS;
            try {
                long left;
                while (riderFits(post) && (left = deadline - System.currentTimeMillis()) > 0) {
                    lock.wait(left);
                }
            } finally {
                boarding = null;
                post.closeBoarding();
            }
            return post.hasSeats() ? post : null;
        }
    }

    private boolean riderFits(SharedPost post) {
        for (Waiter waiter : inLine.values()) {
            if (waiter.rider() != null && post.fits(waiter.rider().organizationId(), waiter.rider().least())) {
                return true;
            }
        }
        return false;
    }

    Ticket take(Use use, long maxWaitMillis) throws InterruptedException {
        return (Ticket) take(use, maxWaitMillis, null);
    }

    /**
     * Requests are served in the order they could go: with twenty connectors on one token, a connector whose one
     * tag changed waits for the requests ahead of it, not for every request a busy connector makes meanwhile; and a
     * read within its share gets its turn too, so a settlement ends under a steady load. A request that the budget
     * lets go while one ahead of it must still wait (a read keeps the last requests to readings) is not held back.
     */
    private Grant take(Use use, long maxWaitMillis, Rider rider) throws InterruptedException {
        Object lock = organization.lock();
        synchronized (lock) {
            long deadline = maxWaitMillis == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + maxWaitMillis;
            long place = 0;
            try {
                while (true) {
                    if (rider != null && boarding != null) {
                        SharedPost.Seat seat = boarding.board(rider.organizationId(), rider.least(), rider.most().getAsInt());
                        if (seat != null) {
                            return seat;
                        }
                    }
                    long wait = shareWait(use);
                    if (wait > 0 && place != 0) {
                        inLine.remove(place);   // over its share: it stands aside, and asks again when the share allows
                        place = 0;
                        lock.notifyAll();
                    } else if (wait == 0) {
                        if (place == 0) {
                            place = ++lastInLine;
                            inLine.put(place, new Waiter(use, rider));
                        }
                        wait = budgetWait(use);
                        if (wait == 0 && firstThatMayGo() != place) {
                            wait = TURN_RECHECK_MS;   // another asked first; it tells when it has gone
                        } else if (wait == 0) {
                            if (use == Use.READS && reads.waitMillis(0) == 0) {
                                reads.take();   // within its share; beyond it (nothing waited) it is not counted against it
                            } else if (use == Use.METERS) {
                                meters.take();
                            }
                            return new Ticket(token.take(), organization.limiter().take());
                        }
                    }
                    long now = System.currentTimeMillis();
                    if (deadline != Long.MAX_VALUE && now + wait > deadline) {
                        return null;
                    }
                    lock.wait(Math.min(wait, RECHECK_MS));
                }
            } finally {
                if (place != 0) {
                    inLine.remove(place);
                    lock.notifyAll();
                }
            }
        }
    }

    /**
     * The first request in line that the budget lets go now; 0 when none may. A read goes ahead of readings
     * while reads have had fewer of the window's requests than everything else: up to its share, half, even
     * when many connectors are in line (in turn with four busy connectors it would get a fifth).
     */
    private long firstThatMayGo() {
        java.util.EnumMap<Use, Boolean> may = new java.util.EnumMap<>(Use.class);
        int readsUsed = readsInWindow();
        int othersUsed = token.limit() - token.remaining() - readsUsed;
        if (readsUsed < othersUsed) {
            for (Map.Entry<Long, Waiter> e : inLine.entrySet()) {
                if (e.getValue().use() == Use.READS && may.computeIfAbsent(Use.READS, u -> budgetWait(u) == 0)) {
                    return e.getKey();
                }
            }
        }
        for (Map.Entry<Long, Waiter> e : inLine.entrySet()) {
            if (may.computeIfAbsent(e.getValue().use(), u -> budgetWait(u) == 0)) {
                return e.getKey();
            }
        }
        return 0;
    }

    /** How long a request of this use waits for its own share (reads while readings wait, meter creation). */
    private long shareWait(Use use) {
        if (use == Use.METERS) {
            return meters.waitMillis(0);
        }
        if (use == Use.READS && readingsWait()) {
            return Math.min(reads.waitMillis(0), RECHECK_MS);
        }
        return 0;
    }

    /**
     * How long until the token's and the organisation's windows let a request of this use go. With no reading
     * waiting, reads and meter creation leave the last tenth of each window to the readings that may come. While
     * readings wait they are in line with them instead, each in its turn and within its share: under a load that
     * uses every request, a reserve would never be free, and the meters being settled or created would wait for
     * ever (measured: a settlement of 600 pages read 53 in 18 minutes).
     */
    private long budgetWait(Use use) {
        boolean reserved = use != Use.READINGS && !readingsWait();
        int keep = reserved ? reserve() : 0;
        int keepShared = reserved ? organization.reserve() : 0;
        // Unless readings stand in line with it, a read leaves one request of the burst: a value that changes then
        // finds a request at once instead of the spread's next one behind reads that spent the burst.
        boolean keepBurst = use != Use.READINGS && !readingsInLine();
        return Math.max(token.waitMillis(keep, keepBurst), organization.limiter().waitMillis(keepShared));
    }

    private boolean readingsInLine() {
        for (Waiter waiter : inLine.values()) {
            if (waiter.use() == Use.READINGS) {
                return true;
            }
        }
        return false;
    }

    /**
     * What MaintainX's answer to the request with {@code ticket} said. A limit above the token's
     * is the organisation's (the headers describe whichever budget has fewer requests left), and is
     * planned with from now on.
     */
    public void answered(Ticket ticket, Integer limit, Integer remaining, Long resetSeconds) {
        Object lock = organization.lock();
        synchronized (lock) {
            if (limit != null && limit > token.limit()) {
                organization.learn(limit);
                organization.limiter().onAnswer(ticket == null ? 0 : ticket.organization(), remaining, resetSeconds);
                if (ticket != null) {
                    token.answeredElsewhere(ticket.token());
                }
            } else {
                // A smaller limit than configured is not adopted: its window may be shorter; Remaining and Reset say enough.
                token.onAnswer(ticket == null ? 0 : ticket.token(), remaining, resetSeconds);
                if (ticket != null) {
                    organization.limiter().answeredElsewhere(ticket.organization());
                }
            }
            lock.notifyAll();
        }
    }

    /** After a 429: nothing more with this token until MaintainX's window resets. */
    public void tooManyRequests(Long resetSeconds) {
        Object lock = organization.lock();
        synchronized (lock) {
            token.onTooManyRequests(resetSeconds);
            lock.notifyAll();
        }
    }

    /** A slot for requests of one use, taken before each request and told what its answer said. */
    MaintainxClient.Slot slot(Use use, long maxWaitMillis) {
        return new MaintainxClient.Slot() {
            private Ticket ticket;

            @Override
            public boolean take() throws InterruptedException {
                ticket = TokenBudget.this.take(use, maxWaitMillis);
                return ticket != null;
            }

            @Override
            public void answered(Integer limit, Integer remaining, Long resetSeconds) {
                TokenBudget.this.answered(ticket, limit, remaining, resetSeconds);
            }

            @Override
            public void tooManyRequests(Long resetSeconds) {
                TokenBudget.this.tooManyRequests(resetSeconds);
            }
        };
    }

    /** The slot of a request already taken (the sender takes it before it cuts a batch), told what the answer said. */
    MaintainxClient.Slot taken(Ticket ticket) {
        return new MaintainxClient.Slot() {
            @Override
            public boolean take() {
                return true;
            }

            @Override
            public void answered(Integer limit, Integer remaining, Long resetSeconds) {
                TokenBudget.this.answered(ticket, limit, remaining, resetSeconds);
            }

            @Override
            public void tooManyRequests(Long resetSeconds) {
                TokenBudget.this.tooManyRequests(resetSeconds);
            }
        };
    }
}
