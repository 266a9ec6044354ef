package com.plantbridge.peer;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerLinkDiagnosisTest {

    private static final Duration SKEW = Duration.ofSeconds(30);

    @Test
    void aRefusedSignatureWithClocksInStepIsASecretMismatch() {
        assertThat(PeerLinkDiagnosis.cause(401, "2", false, 120L, null, SKEW)).isEqualTo(new PeerLinkDiagnosis.Cause(
                PeerLinkDiagnosis.Kind.SECRET_MISMATCH, "bridge.peer.secret differs between the nodes: the peer refuses this node's signatures"));
        assertThat(PeerLinkDiagnosis.cause(200, "2", false, null, null, SKEW).text())
                .isEqualTo("bridge.peer.secret differs between the nodes: the peer's answers are not signed with this node's secret");
    }

    @Test
    void aPeerClockOutsideTheSkewIsClockSkewWithTheMeasuredOffsetWhateverTheSignature() {
        assertThat(PeerLinkDiagnosis.cause(401, "2", true, 45_300L, "peer request refused: stale", SKEW).text())
                .isEqualTo("clock skew: the peer's clock is 45 s ahead of this node's, at most 30 s are allowed; synchronise both hosts' clocks (NTP)");
        assertThat(PeerLinkDiagnosis.cause(401, "2", false, -90_000L, null, SKEW).text()).startsWith("clock skew: the peer's clock is 90 s behind");
        assertThat(PeerLinkDiagnosis.cause(401, "2", true, 2_000L, "peer request refused: replayed", SKEW).text())
                .isEqualTo("the peer refuses this node's requests although the secrets match: peer request refused: replayed");
    }

    @Test
    void anAnswerWithoutThePeerProtocolIsAnIncompatibleVersion() {
        assertThat(PeerLinkDiagnosis.cause(404, null, false, null, null, SKEW).text()).startsWith("incompatible version: the peer answered HTTP 404 without");
        assertThat(PeerLinkDiagnosis.cause(401, "3", false, null, null, SKEW).text())
                .isEqualTo("incompatible version: the peer answered HTTP 401 with peer protocol 3, this node speaks 2");
    }

    @Test
    void theLinkIsInErrorOnlyAfterConsecutiveFailuresForTenSecondsAndRecoversOnTheFirstSuccess() {
        PeerSignatureTest.MutableClock clock = new PeerSignatureTest.MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        PeerLinkHealth health = new PeerLinkHealth("http://peer", clock);
        PeerLinkDiagnosis.Cause secret = new PeerLinkDiagnosis.Cause(PeerLinkDiagnosis.Kind.SECRET_MISMATCH, "bridge.peer.secret differs");
        health.failed(secret, null);
        clock.advance(Duration.ofSeconds(5));
        health.failed(secret, null);
        health.unreachable("peer unreachable: ConnectException");
        assertThat(health.error()).as("unreachable says nothing about secrets").isNull();
        health.failed(secret, null);
        assertThat(health.error()).as("three failures, but a starting peer answers 404 for a while").isNull();
        clock.advance(Duration.ofSeconds(5));
        health.failed(secret, null);
        assertThat(health.error()).isEqualTo("bridge.peer.secret differs");

        health.verified(5L);
        assertThat(health.error()).isNull();
        assertThat(health.status()).containsEntry("consecutiveFailures", 0).containsEntry("clockOffsetMillis", 5L);
    }
}
