package com.plantbridge.maintainx;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.Secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request budget of one token, on an injected clock (no test here waits). */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RateLimiter limiter = new RateLimiter(3, 60_000, now::get);

    @Test
    void atMostTheLimitInAnyWindow() throws Exception {
        assertThat(limiter.tryAcquire(0)).isTrue();
        now.addAndGet(10_000);
        assertThat(limiter.tryAcquire(0)).isTrue();
        assertThat(limiter.tryAcquire(0)).isTrue();
        assertThat(limiter.tryAcquire(0)).as("a fourth request inside the window").isFalse();

        now.addAndGet(49_999);
        assertThat(limiter.tryAcquire(0)).as("one ms before the first request leaves the window").isFalse();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire(0)).as("the first request has left the window").isTrue();
        assertThat(limiter.tryAcquire(0)).isFalse();
    }

    @Test
    void noRequestWhileTheServerSaysNoneAreLeft() throws Exception {
        limiter.onAnswer(0, 5L);

        assertThat(limiter.tryAcquire(0)).isFalse();
        now.addAndGet(4_999);
        assertThat(limiter.tryAcquire(0)).isFalse();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire(0)).isTrue();
    }

    @Test
    void remainingRequestsOrAMissingResetDoNotBlock() throws Exception {
        limiter.onAnswer(7, 5L);
        limiter.onAnswer(0, null);
        limiter.onAnswer(null, 5L);

        assertThat(limiter.tryAcquire(0)).isTrue();
    }

    @Test
    void after429NothingUntilTheResetOrAWholeWindowWithoutOne() throws Exception {
        limiter.onTooManyRequests(2L);
        now.addAndGet(1_999);
        assertThat(limiter.tryAcquire(0)).isFalse();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire(0)).isTrue();

        limiter.onTooManyRequests(null);
        now.addAndGet(59_999);
        assertThat(limiter.tryAcquire(0)).isFalse();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire(0)).isTrue();
    }

    @Test
    void aWaitLongerThanAllowedGivesUpAtOnce() throws Exception {
        limiter.onTooManyRequests(30L);

        assertThat(limiter.tryAcquire(10_000)).as("the slot frees in 30 s, later than 10 s").isFalse();
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatThrownBy(() -> new RateLimiter(0, 60_000)).hasMessageContaining("maintainx.rate-limit");
        assertThatThrownBy(() -> new RateLimiters(5, 0)).hasMessageContaining("maintainx.rate-limit");
    }

    @Test
    void connectorsOfOneTokenShareOneLimiterWhateverElseTheirSettingsSay() {
        RateLimiters limiters = new RateLimiters(100, 60_000);
        TokenBudget a = limiters.forToken(connector("a", "token-1", 0.0));
        TokenBudget b = limiters.forToken(connector("b", "token-1", 0.5));
        TokenBudget other = limiters.forToken(connector("c", "token-2", 0.0));
        TokenBudget aChanged = limiters.forToken(connector("a", "token-1", 2.0));
        TokenBudget aMovedAndBack = limiters.forToken(connector("a", "token-1", 0.0));

        assertThat(b).isSameAs(a);
        assertThat(aChanged).as("after a settings change of the connector").isSameAs(a);
        assertThat(aMovedAndBack).isSameAs(a);
        assertThat(other).isNotSameAs(a);
        assertThat(other.organization()).as("tokens without organization-id count as one organisation").isSameAs(a.organization());
    }

    @Test
    void anAnswersRemainingIsReadAgainstTheRequestsTakenAfterTheOneItAnswers() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, now::get);
        budget.take();
        long answered = budget.take();
        budget.take();
        budget.take();
        // MaintainX saw the second request and says 2 are left: the two taken since use them up.
        budget.onAnswer(answered, 2, 30L);

        assertThat(budget.tryAcquire(0)).isFalse();
        now.addAndGet(30_000);
        assertThat(budget.tryAcquire(0)).isTrue();
    }

    @Test
    void aRequestTakenEarlierButStillOnItsWayIsNotInTheCountOfALaterOnesAnswer() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, now::get);
        budget.take();   // a shared request, waiting for its seats to load
        long overtaking = budget.take();
        // The later request arrived first: MaintainX says 1 is left, and the one still on its way will use it.
        budget.onAnswer(overtaking, 1, 30L);

        assertThat(budget.remaining()).isZero();
        assertThat(budget.tryAcquire(0)).isFalse();
    }

    @Test
    void ofTheLastRequestsMaintainxSaysAreLeftANodeSpendsAtMostHalfItsPeerMayUseTheSameToken() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, 10, now::get);
        budget.onAnswer(budget.take(), 6, 30L);
        long reset = now.get() + 30_000;

        int spent = 0;
        // The last ones are spread to the reset: each is taken when its turn comes, before the reset.
        while (spent < 10 && now.get() + budget.waitMillis(0) < reset) {
            now.addAndGet(budget.waitMillis(0));
            assertThat(budget.tryAcquire(0)).isTrue();
            spent++;
        }
        assertThat(spent).isEqualTo(3);
    }

    @Test
    void anOrganisationsBudgetSpendsAllThatItsLastAnswerSaidIsLeft() throws Exception {
        RateLimiter organisation = new RateLimiter(500, 60_000, now::get);
        organisation.onAnswer(organisation.take(), 6, 30L);

        int spent = 0;
        while (spent < 10 && organisation.tryAcquire(0)) {
            spent++;
        }
        assertThat(spent).isEqualTo(6);
    }

    @Test
    void farFromTheEndANodeLeavesItsPeerABurstAndSpreadsOnlyTheLastBurstToTheReset() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, 10, now::get);
        budget.onAnswer(budget.take(), 50, 30L);
        int spent = 0;
        while (spent < 30 && budget.tryAcquire(0)) {
            spent++;
            now.addAndGet(600);   // one request earned each time: the spread does not stop it
        }
        assertThat(spent).as("40 of the 50 left are this node's; the first 30 go at the spread's pace").isEqualTo(30);
        assertThat(budget.waitMillis(0)).as("the last 10 are spread to the reset").isPositive();
    }

    @Test
    void theLastRequestsOfAWindowAreSpreadToItsResetRatherThanSpentAtOnce() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, 10, now::get);
        // 30 s before the reset MaintainX says 12 are left: 6 are this node's (its peer may use the rest), about one every 4 s.
        budget.onAnswer(budget.take(), 12, 30L);
        assertThat(budget.tryAcquire(0)).isFalse();
        now.addAndGet(5_000);

        assertThat(budget.tryAcquire(0)).isTrue();
        assertThat(budget.waitMillis(0)).as("25 s to the reset for the 5 left, the last before it").isEqualTo(25_000 / 6);
        now.addAndGet(25_000 / 6);
        assertThat(budget.tryAcquire(0)).isTrue();
    }

    @Test
    void anOlderAnswerDoesNotUndoWhatANewerOneSaid() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, now::get);
        long first = budget.take();
        long second = budget.take();
        budget.onAnswer(second, 0, 10L);
        budget.onAnswer(first, 50, 10L);

        assertThat(budget.tryAcquire(0)).isFalse();
    }

    @Test
    void beyondItsBurstABudgetSpreadsItsRequestsOverTheWindow() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, 10, now::get);
        int atOnce = 0;
        while (budget.tryAcquire(0)) {
            atOnce++;
        }
        assertThat(atOnce).isEqualTo(10);
        assertThat(budget.waitMillis(0)).as("one request per 600 ms").isEqualTo(600);

        now.addAndGet(6_000);
        int later = 0;
        while (budget.tryAcquire(0)) {
            later++;
        }
        assertThat(later).as("10 more earned in 6 s").isEqualTo(10);
        now.addAndGet(600_000);
        int afterAPause = 0;
        while (budget.tryAcquire(0)) {
            afterAPause++;
        }
        assertThat(afterAPause).as("credit never grows beyond the burst").isEqualTo(10);
    }

    @Test
    void aBurstAsLargeAsTheLimitSendsTheWholeWindowAtOnce() throws Exception {
        RateLimiter budget = new RateLimiter(100, 60_000, 100, now::get);
        int atOnce = 0;
        while (budget.tryAcquire(0)) {
            atOnce++;
        }
        assertThat(atOnce).isEqualTo(100);
        assertThatThrownBy(() -> new RateLimiters(100, 60_000, 500, 50, 20, 0)).hasMessageContaining("maintainx.rate-limit.burst");
    }

    private static ConnectorSettings connector(String name, String token, double deadband) {
        return new ConnectorSettings(name, true, Secret.of(token), null, false, deadband, java.time.Duration.ZERO, java.util.List.of(), java.util.List.of());
    }
}
