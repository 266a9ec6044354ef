package com.plantbridge.peer;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import com.plantbridge.redundancy.HandoverClaim;
import com.plantbridge.redundancy.HandoverResult;

/** Asks the peer's node for leadership over the signed peer link, and verifies its answer. */
final class HandoverClient {

    private final PeerSignature signature;
    private final String url;
    private final ObjectMapper json;
    private final ProducerTemplate template;
    private final PeerContact contact;

    HandoverClient(CamelContext context, PeerSignature signature, String peerUrl, ObjectMapper json, PeerContact contact) {
        this.signature = signature;
        this.json = json;
        this.contact = contact;
        // The answering node may wait a few seconds for its captures to reach its outbox.
        this.url = peerUrl + HandoverRoutes.PATH + "?httpMethod=POST&throwExceptionOnFailure=false&connectTimeout=1000&responseTimeout=8000";
        this.template = context.createProducerTemplate();
    }

    HandoverResult request(HandoverClaim claim) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(claim);
        } catch (Exception e) {
            throw new IllegalStateException("handover claim cannot be written", e);
        }
        long now = System.currentTimeMillis();
        Exchange answer = template.send(url, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            e.getMessage().setHeader(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
            e.getMessage().setHeader(PeerSignature.SIGNATURE_HEADER, signature.sign(now, "POST", HandoverRoutes.PATH, body));
        });
        if (answer.getException() != null) {
            return unreachable("peer unreachable: " + answer.getException().getClass().getSimpleName());
        }
        var message = answer.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] text = message.getBody(byte[].class);
        if (status != 200) {
            return unreachable("peer answered HTTP " + status);
        }
        if (!signature.verify(message.getHeader(PeerSignature.TIMESTAMP_HEADER, String.class),
                message.getHeader(PeerSignature.SIGNATURE_HEADER, String.class), PeerSignature.RESPONSE, HandoverRoutes.PATH, text,
                System.currentTimeMillis())) {
            return unreachable("the peer's answer is not signed with bridge.peer.secret");
        }
        contact.heard();
        try {
            HandoverAnswer verified = json.readValue(text, HandoverAnswer.class);
            return verified.granted() ? HandoverResult.granted(verified.captured()) : HandoverResult.refused(verified.reason());
        } catch (Exception e) {
            return unreachable("the peer's answer cannot be read");
        }
    }

    private HandoverResult unreachable(String why) {
        return HandoverResult.unreachable(why, contact.silentFor(Instant.now()));
    }
}
