package com.plantbridge.peer;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import com.plantbridge.redundancy.HandoverClaim;
import com.plantbridge.redundancy.HandoverResult;

/** Asks the peer's node for leadership over the signed peer link; only a verified answer counts. */
public final class HandoverClient {

    /** The answering node may wait a few seconds for its captures to reach its outbox. */
    private static final Duration TIMEOUT = Duration.ofSeconds(8);

    private final PeerLink link;
    private final ObjectMapper json;

    public HandoverClient(PeerLink link, ObjectMapper json) {
        this.link = link;
        this.json = json;
    }

    public HandoverResult request(HandoverClaim claim) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(claim);
        } catch (Exception e) {
            throw new IllegalStateException("handover claim cannot be written", e);
        }
        Optional<PeerClient.Answer> answer = link.client().exchange("POST", HandoverRoutes.PATH, body, "application/json", TIMEOUT);
        if (answer.isEmpty() || answer.get().status() != 200) {
            String problem = link.health().problem();
            return HandoverResult.unreachable(problem == null ? "the peer's node did not answer" : problem, link.health().silentFor());
        }
        try {
            HandoverAnswer verified = json.readValue(answer.get().body(), HandoverAnswer.class);
            return verified.granted() ? HandoverResult.granted() : HandoverResult.refused(verified.reason());
        } catch (Exception e) {
            return HandoverResult.unreachable("the peer's answer cannot be read", link.health().silentFor());
        }
    }
}
