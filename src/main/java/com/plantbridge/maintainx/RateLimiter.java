package com.plantbridge.maintainx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * MaintainX's request budget for one token: at most {@code limit} requests in any {@code window},
 * counted here, and no request while the server says none are left. Connectors that share a token
 * share one limiter, because the server counts per token, not per connector.
 */
public final class RateLimiter {

    private final int limit;
    private final long windowMs;
    private final LongSupplier clock;
    private final Deque<Long> sent = new ArrayDeque<>();
    private long serverBlockedUntil;

    public RateLimiter(int limit, long windowMs) {
        this(limit, windowMs, System::currentTimeMillis);
    }

    RateLimiter(int limit, long windowMs, LongSupplier clock) {
        if (limit < 1 || windowMs < 1) {
            throw new IllegalArgumentException("maintainx.rate-limit.requests and maintainx.rate-limit.window must be positive");
        }
        this.limit = limit;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    /** Blocks until a request may be sent, then counts it as sent. */
    public synchronized void acquire() throws InterruptedException {
        tryAcquire(Long.MAX_VALUE);
    }

    /** Like {@link #acquire()}, giving up (false) when no slot frees within {@code maxWaitMillis}. */
    public synchronized boolean tryAcquire(long maxWaitMillis) throws InterruptedException {
        long deadline = maxWaitMillis == Long.MAX_VALUE ? Long.MAX_VALUE : clock.getAsLong() + maxWaitMillis;
        while (true) {
            long now = clock.getAsLong();
            while (!sent.isEmpty() && sent.peekFirst() <= now - windowMs) {
                sent.pollFirst();
            }
            long waitUntil = serverBlockedUntil;
            if (sent.size() >= limit) {
                waitUntil = Math.max(waitUntil, sent.peekFirst() + windowMs);
            }
            if (waitUntil <= now) {
                sent.addLast(now);
                return true;
            }
            if (waitUntil > deadline) {
                return false;
            }
            wait(waitUntil - now);
        }
    }

    /** What the server said about the budget in an answer: trusted when it is stricter than our own count. */
    public synchronized void onAnswer(Integer remaining, Long resetSeconds) {
        if (remaining != null && remaining <= 0 && resetSeconds != null) {
            blockFor(Math.max(1, resetSeconds) * 1000);
        }
    }

    /** After a 429: nothing more until the server's window resets. */
    public synchronized void onTooManyRequests(Long resetSeconds) {
        blockFor(Math.max(1, resetSeconds == null ? windowMs / 1000 : resetSeconds) * 1000);
    }

    private void blockFor(long millis) {
        serverBlockedUntil = Math.max(serverBlockedUntil, clock.getAsLong() + millis);
        notifyAll();
    }
}
