package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import com.plantbridge.settings.Secret;

import static com.plantbridge.peer.PeerSignature.Verdict.ACCEPTED;
import static com.plantbridge.peer.PeerSignature.Verdict.FORGED;
import static com.plantbridge.peer.PeerSignature.Verdict.REPLAYED;
import static com.plantbridge.peer.PeerSignature.Verdict.STALE;
import static com.plantbridge.peer.PeerSignature.Verdict.UNSIGNED;
import static org.assertj.core.api.Assertions.assertThat;

class PeerSignatureTest {

    private static final PeerKeys KEYS = PeerKeys.derive(Secret.of("the-shared-peer-secret-of-the-pair-0123"));
    private static final PeerKeys OTHER_KEYS = PeerKeys.derive(Secret.of("another-peer-secret-of-another-pair-0123"));
    private static final byte[] BODY = "{\"version\":3}".getBytes(StandardCharsets.UTF_8);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final PeerSignature sender = new PeerSignature(KEYS, Duration.ofSeconds(30), clock);
    private final PeerSignature receiver = new PeerSignature(KEYS, Duration.ofSeconds(30), clock);

    private PeerSignature.Verdict receive(PeerSignature.SignedRequest r, String method, String path, byte[] body) {
        return receiver.verifyRequest(String.valueOf(r.timestamp()), r.nonce(), r.signature(), method, path, body);
    }

    @Test
    void aSignedRequestIsAcceptedOnce() {
        PeerSignature.SignedRequest request = sender.signRequest("POST", "/api/peer/settings", BODY);

        assertThat(receive(request, "POST", "/api/peer/settings", BODY)).isEqualTo(ACCEPTED);
        assertThat(receive(request, "POST", "/api/peer/settings", BODY)).as("the same request again").isEqualTo(REPLAYED);
    }

    @Test
    void everyRequestHasItsOwnNonce() {
        assertThat(sender.signRequest("GET", "/api/peer/view", null).nonce()).isNotEqualTo(sender.signRequest("GET", "/api/peer/view", null).nonce());
    }

    @Test
    void aChangedBodyMethodOrPathOrAnotherSecretIsForged() {
        PeerSignature.SignedRequest request = sender.signRequest("POST", "/api/peer/settings", BODY);

        assertThat(receive(request, "POST", "/api/peer/settings", "{\"version\":999}".getBytes(StandardCharsets.UTF_8))).isEqualTo(FORGED);
        assertThat(receive(request, "GET", "/api/peer/settings", BODY)).isEqualTo(FORGED);
        assertThat(receive(request, "POST", "/api/peer/view", BODY)).isEqualTo(FORGED);
        PeerSignature.SignedRequest foreign = new PeerSignature(OTHER_KEYS, Duration.ofSeconds(30), clock).signRequest("POST", "/api/peer/settings", BODY);
        assertThat(receive(foreign, "POST", "/api/peer/settings", BODY)).isEqualTo(FORGED);
    }

    @Test
    void aRequestWithoutHeadersOrWithAMalformedNonceIsUnsigned() {
        assertThat(receiver.verifyRequest(null, null, null, "GET", "/api/peer/view", null)).isEqualTo(UNSIGNED);
        PeerSignature.SignedRequest request = sender.signRequest("GET", "/api/peer/view", null);
        assertThat(receiver.verifyRequest(String.valueOf(request.timestamp()), "not-a-nonce", request.signature(), "GET", "/api/peer/view", null))
                .isEqualTo(UNSIGNED);
        assertThat(receiver.verifyRequest("yesterday", request.nonce(), request.signature(), "GET", "/api/peer/view", null)).isEqualTo(UNSIGNED);
    }

    @Test
    void aRequestOutsideTheClockSkewIsStaleEitherWay() {
        PeerSignature.SignedRequest old = sender.signRequest("GET", "/api/peer/view", null);
        clock.advance(Duration.ofSeconds(31));
        assertThat(receive(old, "GET", "/api/peer/view", null)).isEqualTo(STALE);

        PeerSignature.SignedRequest fromTheFuture = sender.signRequest("GET", "/api/peer/view", null);
        clock.advance(Duration.ofSeconds(-62));
        assertThat(receive(fromTheFuture, "GET", "/api/peer/view", null)).isEqualTo(STALE);
    }

    @Test
    void aRequestJustInsideTheSkewIsAcceptedAndItsReplayRefusedUntilItIsStale() {
        PeerSignature.SignedRequest request = sender.signRequest("GET", "/api/peer/view", null);
        clock.advance(Duration.ofSeconds(29));
        assertThat(receive(request, "GET", "/api/peer/view", null)).isEqualTo(ACCEPTED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(receive(request, "GET", "/api/peer/view", null)).isEqualTo(REPLAYED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(receive(request, "GET", "/api/peer/view", null)).isEqualTo(STALE);
    }

    @Test
    void anAnswerVerifiesOnlyForTheRequestItAnswersWithItsStatusAndBody() {
        String nonce = sender.signRequest("POST", "/api/peer/settings", BODY).nonce();
        String otherNonce = sender.signRequest("POST", "/api/peer/settings", BODY).nonce();
        byte[] answer = "{\"outcome\":\"APPLIED\",\"version\":3}".getBytes(StandardCharsets.UTF_8);
        long at = clock.millis();
        String signature = receiver.signAnswer(at, nonce, 200, "/api/peer/settings", answer);

        assertThat(sender.verifyAnswer(String.valueOf(at), signature, nonce, 200, "/api/peer/settings", answer)).isTrue();
        assertThat(sender.verifyAnswer(String.valueOf(at), signature, otherNonce, 200, "/api/peer/settings", answer))
                .as("an answer replayed to another request").isFalse();
        assertThat(sender.verifyAnswer(String.valueOf(at), signature, nonce, 409, "/api/peer/settings", answer)).isFalse();
        assertThat(sender.verifyAnswer(String.valueOf(at), signature, nonce, 200, "/api/peer/settings",
                "{\"outcome\":\"APPLIED\",\"version\":999}".getBytes(StandardCharsets.UTF_8))).as("a forged confirmation").isFalse();
        assertThat(sender.verifyAnswer(String.valueOf(at + 1), signature, nonce, 200, "/api/peer/settings", answer)).isFalse();
        assertThat(new PeerSignature(OTHER_KEYS, Duration.ofSeconds(30), clock)
                .verifyAnswer(String.valueOf(at), signature, nonce, 200, "/api/peer/settings", answer)).isFalse();
    }

    @Test
    void aRequestSignatureIsNeverAValidAnswerSignature() {
        PeerSignature.SignedRequest request = sender.signRequest("GET", "/api/peer/view", null);

        assertThat(sender.verifyAnswer(String.valueOf(request.timestamp()), request.signature(), request.nonce(), 200, "/api/peer/view", null)).isFalse();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
