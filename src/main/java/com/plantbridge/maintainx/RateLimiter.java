package com.plantbridge.maintainx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * One request budget: at most {@code limit} requests in any {@code window}, counted here, and kept
 * in step with what MaintainX's answers say is left ({@code X-Rate-Limit-Remaining} until
 * {@code X-Rate-Limit-Reset}). Each request taken gets a ticket, its place in the order of requests
 * taken, so that an answer's "Remaining" is read against the requests taken after the one it
 * answers: with 20 connectors on one token, up to 20 requests are on their way when an answer
 * arrives, and counting from the answer alone would overrun the budget by that many (429).
 */
public final class RateLimiter {

    private final long windowMs;
    private final LongSupplier clock;
    private final Deque<Long> sent = new ArrayDeque<>();
    private int limit;
    private long taken;
    private long serverBlockedUntil;
    /** What the newest answer said: requests left after the request with {@link #serverTicket}, until {@link #serverResetAt}. */
    private long serverTicket = -1;
    private long serverLeft;
    private long serverResetAt;
    /**
     * Tickets taken whose answer has not come, by ticket, with when they were taken. An answer says what MaintainX
     * had counted when that request arrived; a request taken before it but still on its way (a shared request waits
     * for its seats to load, a slow connection) is not in that count.
     */
    private final java.util.TreeMap<Long, Long> unanswered = new java.util.TreeMap<>();
    /** Requests that may go at once; beyond them the window's requests are spread evenly over it. */
    private final int burst;
    private double credit;
    private long creditAt;
    private long lastTakenAt = Long.MIN_VALUE;

    public RateLimiter(int limit, long windowMs) {
        this(limit, windowMs, limit, System::currentTimeMillis);
    }

    /**
     * A budget that sends at most {@code burst} requests at once and spreads the rest over the window,
     * so that whatever else uses the same token (the peer's node after a switch) finds requests left.
     */
    public RateLimiter(int limit, long windowMs, int burst) {
        this(limit, windowMs, burst, System::currentTimeMillis);
    }

    RateLimiter(int limit, long windowMs, LongSupplier clock) {
        this(limit, windowMs, limit, clock);
    }

    RateLimiter(int limit, long windowMs, int burst, LongSupplier clock) {
        if (limit < 1 || windowMs < 1) {
            throw new IllegalArgumentException("maintainx.rate-limit.requests and maintainx.rate-limit.window must be positive");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("maintainx.rate-limit.burst must be positive, got " + burst);
        }
        this.limit = limit;
        this.windowMs = windowMs;
        this.burst = burst;
        this.clock = clock;
        this.credit = burst;
        this.creditAt = clock.getAsLong();
    }

    public synchronized int limit() {
        return limit;
    }

    long windowMs() {
        return windowMs;
    }

    /** Blocks until a request may be sent, then counts it as sent. */
    public synchronized void acquire() throws InterruptedException {
        tryAcquire(Long.MAX_VALUE);
    }

    /** Like {@link #acquire()}, giving up (false) when no slot frees within {@code maxWaitMillis}. */
    public synchronized boolean tryAcquire(long maxWaitMillis) throws InterruptedException {
        long deadline = maxWaitMillis == Long.MAX_VALUE ? Long.MAX_VALUE : clock.getAsLong() + maxWaitMillis;
        while (true) {
            long wait = waitMillis(0);
            if (wait == 0) {
                take();
                return true;
            }
            if (clock.getAsLong() + wait > deadline) {
                return false;
            }
            wait(wait);
        }
    }

    /**
     * How long until a request may be sent with {@code keep} requests still left after it (0: now).
     * {@code keep} is how reads leave the last requests of a window to readings.
     */
    synchronized long waitMillis(int keep) {
        return waitMillis(keep, false);
    }

    /** As {@link #waitMillis(int)}; with {@code keepBurst}, one request of the burst is left as well. */
    synchronized long waitMillis(int keep, boolean keepBurst) {
        long now = clock.getAsLong();
        forgetOld(now);
        long until = serverBlockedUntil;
        int allowed = limit - keep;
        if (allowed <= 0) {
            until = Math.max(until, now + windowMs);
        } else if (sent.size() >= allowed) {
            // Free once all but allowed - 1 of the requests in the window have left it.
            until = Math.max(until, nth(sent.size() - allowed) + windowMs);
        }
        // Both nodes of a pair use the same tokens and neither counts the other's requests: of the last requests
        // MaintainX says are left, each spends at most half, so that together they never spend more (a 429 at a
        // switch of a token shared by 20 connectors, in 2 of 3 runs of the takeover benchmark, before this).
        if (serverTicket >= 0 && now < serverResetAt) {
            // Only a budget that spreads (a token's) keeps a margin: an organisation's is heard of only when it is the
            // stricter one, and half of what an old answer said would hold its requests until the reset (measured:
            // twenty tokens' settlement of 120,000 meters took 395 s instead of 200).
            long peerMargin = burst < limit ? Math.min((serverLeft + 1) / 2, burst) : 0;
            long mine = serverLeft - (taken - serverTicket) - Math.max(keep, peerMargin);
            if (mine <= 0) {
                until = Math.max(until, serverResetAt);
            } else if (burst < limit && mine <= burst && lastTakenAt != Long.MIN_VALUE) {
                // The last requests of a window are spread to its reset: under a load beyond the budget a change then
                // waits for the next of them (seconds), not for the reset (up to a minute; 15 s at a switch of a
                // token shared by 20 connectors in the takeover benchmark before this).
                until = Math.max(until, lastTakenAt + (serverResetAt - now) / (mine + 1));
            }
        }
        double needed = keepBurst && burst > 1 ? 2 : 1;
        if (burst < limit && refill(now) < needed) {
            until = Math.max(until, now + (long) Math.ceil((needed - credit) * windowMs / limit));
        }
        return Math.max(0, until - now);
    }

    private void forgetOld(long now) {
        while (!sent.isEmpty() && sent.peekFirst() <= now - windowMs) {
            sent.pollFirst();
        }
        // A request never answered (no connection, a time-out) has either arrived or not by a window later.
        unanswered.values().removeIf(at -> at <= now - windowMs);
    }

    /** Credit for requests that may go now: {@link #burst} at most, earned at limit per window. */
    private double refill(long now) {
        credit = Math.min(burst, credit + (now - creditAt) * (double) limit / windowMs);
        creditAt = now;
        return credit;
    }

    private long nth(int index) {
        int i = 0;
        for (long at : sent) {
            if (i++ == index) {
                return at;
            }
        }
        throw new IllegalStateException("no request " + index + " in the window");
    }

    /** Counts a request as sent now; returns its ticket. Callers check {@link #waitMillis} first. */
    synchronized long take() {
        long now = clock.getAsLong();
        if (burst < limit) {
            credit = refill(now) - 1;
        }
        sent.addLast(now);
        lastTakenAt = now;
        unanswered.put(++taken, now);
        return taken;
    }

    /** Requests left in the window as counted here and as the server last said. */
    public synchronized int remaining() {
        waitMillis(0);
        long own = limit - sent.size();
        if (serverTicket >= 0 && clock.getAsLong() < serverResetAt) {
            own = Math.min(own, serverLeft - (taken - serverTicket));
        }
        return (int) Math.max(0, own);
    }

    /**
     * What the answer to the request with {@code ticket} said of this budget. An older answer than
     * one already heard changes nothing; a ticket of 0 (unknown) is read as the newest request.
     */
    public synchronized void onAnswer(long ticket, Integer remaining, Long resetSeconds) {
        long answered = ticket <= 0 ? taken : ticket;
        unanswered.remove(answered);
        if (remaining == null || resetSeconds == null || answered < serverTicket) {
            return;
        }
        serverTicket = answered;
        forgetOld(clock.getAsLong());
        // Requests taken before this one and not answered yet may arrive after it: counted as taken after it.
        serverLeft = remaining - unanswered.headMap(answered).size();
        serverResetAt = clock.getAsLong() + Math.max(1, resetSeconds) * 1000;
        if (remaining <= 0) {
            blockFor(Math.max(1, resetSeconds) * 1000);
        }
        notifyAll();
    }

    /** The request with {@code ticket} was answered, by headers that describe another budget. */
    synchronized void answeredElsewhere(long ticket) {
        unanswered.remove(ticket);
    }

    /** What the server said about the budget in an answer to the latest request. */
    public void onAnswer(Integer remaining, Long resetSeconds) {
        onAnswer(0, remaining, resetSeconds);
    }

    /** After a 429: nothing more until the server's window resets. */
    public synchronized void onTooManyRequests(Long resetSeconds) {
        blockFor(Math.max(1, resetSeconds == null ? windowMs / 1000 : resetSeconds) * 1000);
    }

    /** MaintainX names this budget's limit (it raised or lowered it): from now on, that one. */
    synchronized boolean changeLimitTo(int serverLimit) {
        if (serverLimit < 1 || serverLimit == limit) {
            return false;
        }
        limit = serverLimit;
        notifyAll();
        return true;
    }

    private void blockFor(long millis) {
        serverBlockedUntil = Math.max(serverBlockedUntil, clock.getAsLong() + millis);
        notifyAll();
    }
}
