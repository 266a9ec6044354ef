package com.plantbridge.maintainx;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Readings first: what reads of MaintainX and the organisation's shared budget leave them (no test here waits). */
class TokenBudgetTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final OrganizationBudget organization = new OrganizationBudget("1", new RateLimiter(500, 60_000, now::get));
    private final TokenBudget budget = new TokenBudget("test", new RateLimiter(100, 60_000, now::get), organization, 50, 20);

    @Test
    void whileReadingsWaitReadsTakeAtMostTheirShare() throws Exception {
        AtomicBoolean waiting = new AtomicBoolean(true);
        budget.readingsOf("line-1", waiting::get);

        assertThat(takeAll(TokenBudget.Use.READS)).isEqualTo(50);
        assertThat(budget.tryAcquire(0)).as("readings still have the other half").isNotNull();
    }

    @Test
    void withNothingWaitingReadsMayTakeMoreButNeverTheLastRequests() throws Exception {
        budget.readingsOf("line-1", () -> false);

        assertThat(takeAll(TokenBudget.Use.READS)).isEqualTo(100 - budget.reserve());
        assertThat(takeAll(TokenBudget.Use.READINGS)).as("the reserve is the readings'").isEqualTo(budget.reserve());
    }

    @Test
    void readsWithNothingWaitingLeaveOneRequestOfTheBurstForTheNextChangedValue() throws Exception {
        TokenBudget spread = new TokenBudget("spread", new RateLimiter(100, 60_000, 10, now::get), organization, 50, 20);
        spread.readingsOf("line-1", () -> false);
        int reads = 0;
        while (reads < 100 && spread.take(TokenBudget.Use.READS, 0) != null) {
            reads++;
        }
        assertThat(reads).isEqualTo(9);
        assertThat(spread.tryAcquire(0)).as("a reading goes at once").isNotNull();

        now.addAndGet(1_200);   // two requests earned at one per 600 ms: reads take one, and the other stays
        assertThat(spread.take(TokenBudget.Use.READS, 0)).isNotNull();
        assertThat(spread.take(TokenBudget.Use.READS, 0)).isNull();
        assertThat(spread.tryAcquire(0)).isNotNull();
    }

    @Test
    void readsLeaveTheLastRequestsTheServerSaysAreLeft() throws Exception {
        TokenBudget.Ticket ticket = budget.tryAcquire(0);
        budget.answered(ticket, 100, budget.reserve(), 40L);

        assertThat(budget.take(TokenBudget.Use.READS, 0)).isNull();
        assertThat(budget.tryAcquire(0)).isNotNull();
    }

    @Test
    void requestsForReadingsAreServedInTheOrderTheyAsked() throws Exception {
        long start = now.get();
        while (budget.tryAcquire(0) != null) {
            now.incrementAndGet();   // the window is spent, one request a millisecond: they leave it one by one
        }
        java.util.List<String> served = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<Thread> connectors = new java.util.ArrayList<>();
        for (String name : java.util.List.of("first", "second", "third")) {
            Thread t = new Thread(() -> {
                try {
                    budget.acquire();
                    served.add(name);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name);
            t.start();
            connectors.add(t);
            // Each asks only once the one before it waits (in line).
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
        }
        // One request at a time comes free; the connectors behind wait their turn.
        for (int freed = 1; freed <= 3; freed++) {
            now.set(start + 60_000 + freed - 1);
            synchronized (organization.lock()) {
                organization.lock().notifyAll();
            }
            int expected = freed;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> served.size() >= expected);
        }
        for (Thread t : connectors) {
            t.join(10_000);
        }
        assertThat(served).containsExactly("first", "second", "third");
    }

    @Test
    void aReadWithinItsShareGoesAheadOfABusyConnectorThatAsksForEveryFreeRequest() throws Exception {
        AtomicBoolean waiting = new AtomicBoolean(true);
        budget.readingsOf("busy", waiting::get);
        long start = now.get();
        while (budget.tryAcquire(0) != null) {
            now.incrementAndGet();
        }
        java.util.List<String> served = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread busy = new Thread(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    budget.acquire();
                    served.add("reading");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "busy");
        busy.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> busy.getState() == Thread.State.TIMED_WAITING);
        Thread read = new Thread(() -> {
            try {
                if (budget.take(TokenBudget.Use.READS, Long.MAX_VALUE) != null) {
                    served.add("read");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "read");
        read.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> read.getState() == Thread.State.TIMED_WAITING);
        // The reads' share (50) is untouched; one request comes free at a time, the busy connector asking again at once.
        for (int freed = 1; freed <= 3; freed++) {
            now.set(start + 60_000 + freed - 1);
            synchronized (organization.lock()) {
                organization.lock().notifyAll();
            }
            int expected = freed;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> served.size() >= expected);
        }
        read.join(10_000);
        assertThat(served.subList(0, 3)).as("the window's requests were all readings': the read, asking second, goes first")
                .containsExactly("read", "reading", "reading");
        busy.interrupt();
    }

    @Test
    void tokensOfOneOrganisationShareItsBudget() throws Exception {
        TokenBudget other = new TokenBudget("other", new RateLimiter(100, 60_000, now::get), organization, 50, 20);
        int taken = 0;
        while (taken < 600 && (taken % 2 == 0 ? budget : other).tryAcquire(0) != null) {
            taken++;
        }
        assertThat(taken).as("two tokens of 100 each, in an organisation of 500").isEqualTo(200);

        OrganizationBudget small = new OrganizationBudget("2", new RateLimiter(150, 60_000, now::get));
        TokenBudget a = new TokenBudget("a", new RateLimiter(100, 60_000, now::get), small, 50, 20);
        TokenBudget b = new TokenBudget("b", new RateLimiter(100, 60_000, now::get), small, 50, 20);
        taken = 0;
        while (taken < 600 && (taken % 2 == 0 ? a : b).tryAcquire(0) != null) {
            taken++;
        }
        assertThat(taken).isEqualTo(150);
    }

    @Test
    void aHeaderLimitAboveTheTokensIsTheOrganisationsAndIsLearned() throws Exception {
        TokenBudget.Ticket ticket = budget.tryAcquire(0);
        budget.answered(ticket, 300, 0, 20L);

        assertThat(organization.limiter().limit()).isEqualTo(300);
        assertThat(budget.tryAcquire(0)).as("the organisation has nothing left until its reset").isNull();
        now.addAndGet(20_000);
        assertThat(budget.tryAcquire(0)).isNotNull();
    }

    @Test
    void connectorsInLineTakeSeatsInTheNextRequestOfTheirOrganisationUpToItsRoom() throws Exception {
        while (budget.tryAcquire(0) != null) {
            now.incrementAndGet();
        }
        java.util.Map<String, TokenBudget.Grant> granted = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<Thread> waiting = new java.util.ArrayList<>();
        for (Object[] rider : new Object[][] {{"three", 1L, 3}, {"four", 1L, 4}, {"too-big", 1L, 10}, {"other-org", 2L, 1}}) {
            Thread t = new Thread(() -> {
                try {
                    int size = (Integer) rider[2];
                    granted.put((String) rider[0], budget.acquire(new TokenBudget.Rider((Long) rider[1], size, () -> size)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, (String) rider[0]);
            t.start();
            waiting.add(t);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
        }

        SharedPost post = budget.offerRoom(1L, 8);

        assertThat(post).isNotNull();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> granted.size() == 2);
        assertThat(granted.get("three")).isInstanceOfSatisfying(SharedPost.Seat.class, seat -> assertThat(seat.room()).isEqualTo(3));
        assertThat(granted.get("four")).isInstanceOfSatisfying(SharedPost.Seat.class, seat -> assertThat(seat.room()).isEqualTo(4));
        assertThat(granted).as("no room for ten readings, and another organisation's request").doesNotContainKeys("too-big", "other-org");
        assertThat(budget.offerRoom(3L, 8)).as("nobody of organisation 3 waits").isNull();
        waiting.forEach(Thread::interrupt);
    }

    private int takeAll(TokenBudget.Use use) throws InterruptedException {
        int taken = 0;
        while (taken < 1000 && budget.take(use, 0) != null) {
            taken++;
        }
        return taken;
    }
}
