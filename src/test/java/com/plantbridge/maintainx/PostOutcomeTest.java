package com.plantbridge.maintainx;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import com.plantbridge.reading.MeterReading;

/** How the sender reads MaintainX's answers: retry, wait, give up, and what a refusal names. */
class PostOutcomeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostOutcome answer(int status, String body) {
        return new PostOutcome(status, body, null, null, status == 0 ? "SocketTimeoutException" : null);
    }

    private static final List<MeterReading> POSTED = List.of(
            new MeterReading("c", "[default]A", 11, 1.5, Instant.EPOCH),
            new MeterReading("c", "[default]B", 12, 2L, Instant.EPOCH),
            new MeterReading("c", "[default]C", 13, 3.0, Instant.EPOCH));

    @Test
    void twoHundredsAreCreatedAndNothingElse() {
        assertThat(answer(201, "[]").created()).isTrue();
        assertThat(answer(400, "").created()).isFalse();
        assertThat(answer(0, null).created()).isFalse();
    }

    @Test
    void fourHundredsExceptAuthRateLimitAndTimeoutAreRefusedForGood() {
        assertThat(answer(400, "").refused()).isTrue();
        assertThat(answer(404, "").refused()).isTrue();
        assertThat(answer(422, "").refused()).isTrue();
        assertThat(answer(401, "").refused()).isFalse();
        assertThat(answer(403, "").refused()).isFalse();
        assertThat(answer(408, "").refused()).isFalse();
        assertThat(answer(429, "").refused()).isFalse();
        assertThat(answer(503, "").refused()).isFalse();
        assertThat(answer(401, "").unauthorized()).isTrue();
        assertThat(answer(403, "").unauthorized()).isTrue();
        assertThat(answer(429, "").tooManyRequests()).isTrue();
    }

    @Test
    void onlySilenceAndGatewayErrorsMayHaveStoredTheBatch() {
        assertThat(answer(0, null).mayHaveStored()).isTrue();
        assertThat(answer(500, "").mayHaveStored()).isTrue();
        assertThat(answer(502, "").mayHaveStored()).isTrue();
        assertThat(answer(504, "").mayHaveStored()).isTrue();
        assertThat(answer(503, "").mayHaveStored()).isFalse();
        assertThat(answer(400, "").mayHaveStored()).isFalse();
        assertThat(answer(401, "").mayHaveStored()).isFalse();
        assertThat(answer(429, "").mayHaveStored()).isFalse();
    }

    @Test
    void aFieldPathOnTheMeterIdNamesTheMeterOfThatReading() {
        var named = answer(400, "{\"errors\":[{\"error\":\"Meter not found\",\"fieldPath\":\"[1].meterId\",\"fieldValue\":12}]}").named(POSTED, JSON);

        assertThat(named.meters()).containsExactly(12L);
        assertThat(named.readings()).isEmpty();
    }

    @Test
    void aFieldPathOnTheReadingOrItsValueNamesOnlyThatReading() {
        var named = answer(400, "{\"errors\":[{\"error\":\"value out of range\",\"fieldPath\":\"[2]\",\"fieldValue\":3},"
                + "{\"error\":\"Expected number\",\"fieldPath\":\"[0].value\"}]}").named(POSTED, JSON);

        assertThat(named.readings()).containsExactly(0, 2);
        assertThat(named.meters()).isEmpty();
    }

    @Test
    void aMeterIdFieldWithTheMeterAsValueNamesThatMeter() {
        var named = answer(400, "{\"errors\":[{\"error\":\"unknown meter\",\"fieldPath\":\"meterId\",\"fieldValue\":13}]}").named(POSTED, JSON);

        assertThat(named.meters()).containsExactly(13L);
        assertThat(answer(400, "{\"errors\":[{\"error\":\"unknown meter\",\"fieldPath\":\"meterId\",\"fieldValue\":\"11\"}]}").named(POSTED, JSON).meters())
                .as("the meter id as text").containsExactly(11L);
        assertThat(answer(400, "{\"errors\":[{\"error\":\"unknown meter\",\"fieldPath\":\"meterId\",\"fieldValue\":99}]}").named(POSTED, JSON).isEmpty())
                .as("a meter that was not posted").isTrue();
    }

    @Test
    void aRefusalThatNamesNothingKnownNamesNothing() {
        assertThat(answer(404, "{\"error\":\"meter Not Found\"}").named(POSTED, JSON).isEmpty()).isTrue();
        assertThat(answer(400, "{\"errors\":[{\"error\":\"Unexpected error\"}]}").named(POSTED, JSON).isEmpty()).isTrue();
        assertThat(answer(400, "{\"errors\":[{\"error\":\"x\",\"fieldPath\":\"[7].meterId\"}]}").named(POSTED, JSON).isEmpty()).isTrue();
        assertThat(answer(400, "<html>gateway</html>").named(POSTED, JSON).isEmpty()).isTrue();
        assertThat(answer(503, "{\"errors\":[{\"error\":\"x\",\"fieldPath\":\"[0]\"}]}").named(POSTED, JSON).isEmpty()).isTrue();
    }

    @Test
    void a404IsAMeterNotFound() {
        assertThat(answer(404, "{\"error\":\"meter Not Found\"}").meterNotFound()).isTrue();
        assertThat(answer(400, "").meterNotFound()).isFalse();
    }
}
