package com.plantbridge.peer;

import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.testing.FakePeer;
import com.plantbridge.testing.PairFixture;
import com.plantbridge.testing.TestNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A Master's node and whatever answers at its bridge.peer.url: its settings are confirmed only by
 * an answer signed for that very request, and a link that keeps failing is reported with its
 * likely cause (secret, clock, version). The node keeps leading on its own gateway throughout.
 */
class PeerAnswerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SimulatedGateway gateway;

    @TempDir
    Path workDir;
    private TestNode node;
    private FakePeer peer;

    @BeforeAll
    static void startGateway() {
        gateway = SimulatedGateway.builder().name("master").role("Master").activityLevel("Active").start();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private TestNode mastersNode(FakePeer.Mode mode) throws Exception {
        peer = new FakePeer(PairFixture.SECRET, mode);
        node = TestNode.builder(workDir).settings("connectors: []\n")
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("bridge.peer.url", peer.url())
                .property("bridge.peer.secret", PairFixture.SECRET)
                .start();
        await().atMost(WAIT).until(() -> node.status().at("/settings/version").asLong() == 1);
        return node;
    }

    private JsonNode link() {
        return node.status().at("/redundancy/peerLink");
    }

    @Test
    void anHonestSignedConfirmationIsShown() throws Exception {
        mastersNode(FakePeer.Mode.HONEST);

        await().atMost(WAIT).until(() -> node.status().at("/settings/confirmedVersion").asLong() == 1);
        assertThat(link().get("error").isNull()).isTrue();
    }

    @Test
    void anUnsignedConfirmationIsNeverBelieved() throws Exception {
        mastersNode(FakePeer.Mode.UNSIGNED_CONFIRMATION);

        await().atMost(WAIT).until(() -> peer.settingsRequests.get() >= 3);
        assertThat(node.status().at("/settings/confirmedVersion").asLong()).isZero();
        assertThat(node.status().get("settings").get("confirmedVersion").asLong()).isNotEqualTo(999);
    }

    @Test
    void aSignedConfirmationReplayedFromAnotherRequestIsNeverBelieved() throws Exception {
        mastersNode(FakePeer.Mode.REPLAYED_CONFIRMATION);

        await().atMost(WAIT).until(() -> peer.settingsRequests.get() >= 3);
        assertThat(node.status().at("/settings/confirmedVersion").asLong()).isZero();
        assertThat(node.status().get("settings").get("confirmedVersion").asLong()).isNotEqualTo(999);
    }

    @Test
    void aPeerClockOutsideTheAllowedSkewIsReportedAsClockSkewWithTheMeasuredOffset() throws Exception {
        mastersNode(FakePeer.Mode.CLOCK_45_S_AHEAD);

        await().atMost(WAIT).until(() -> link().get("error").asText().startsWith("clock skew: the peer's clock is 4"));
        assertThat(link().get("error").asText()).contains("s ahead of this node's, at most 30 s are allowed");
        assertThat(link().get("clockOffsetMillis").asLong()).isBetween(40_000L, 50_000L);
        assertThat(node.status().at("/settings/redundancyError").asText()).startsWith("peer link: clock skew");
        assertThat(node.health().statusCode()).isEqualTo(503);
        assertThat(node.status().at("/redundancy/leader").asBoolean()).as("its own gateway is Active").isTrue();
    }

    @Test
    void aPeerWithAnotherSecretIsReportedAsASecretMismatch() throws Exception {
        mastersNode(FakePeer.Mode.FOREIGN_SECRET);

        await().atMost(WAIT).until(() -> link().get("error").asText()
                .equals("bridge.peer.secret differs between the nodes: the peer's answers are not signed with this node's secret"));
        assertThat(node.status().at("/settings/confirmedVersion").asLong()).isZero();
        assertThat(node.status().at("/redundancy/peer/node").isMissingNode()).as("its view is not believed").isTrue();
    }

    @Test
    void somethingThatDoesNotSpeakThePeerProtocolIsReportedAsAnIncompatibleVersion() throws Exception {
        mastersNode(FakePeer.Mode.NOT_A_PEER);

        await().atMost(WAIT).until(() -> link().get("error").asText().startsWith("incompatible version: the peer answered HTTP 404"));
    }

    @Test
    void aPeerSecretShorterThan32CharactersIsRefusedAtStartNamingTheKey() {
        assertThatThrownBy(() -> TestNode.builder(workDir).settings("connectors: []\n")
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("bridge.peer.url", "http://127.0.0.1:1")
                .property("bridge.peer.secret", "secret-too-short")
                .start())
                .hasStackTraceContaining("bridge.peer.secret: must be at least 32 characters, it has 16")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("secret-too-short"));
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
