package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import com.plantbridge.redundancy.HandoverClaim;
import com.plantbridge.redundancy.HandoverResult;
import com.plantbridge.redundancy.LeadershipController;

/**
 * {@code POST /api/peer/handover}: the peer's node asks this one to stop leading. Only a request
 * signed with the shared secret is heard; the answer is signed too, so nobody else can make either
 * node stop or start sending.
 */
public final class HandoverRoutes extends RouteBuilder {

    public static final String PATH = "/api/peer/handover";

    private final PeerSignature signature;
    private final LeadershipController leadership;
    private final ObjectMapper json;

    public HandoverRoutes(PeerSignature signature, LeadershipController leadership, ObjectMapper json) {
        this.signature = signature;
        this.leadership = leadership;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=POST").routeId("peer-handover-answer")
                .process(this::answer);
    }

    private void answer(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        boolean signed = signature.verify(in.getHeader(PeerSignature.TIMESTAMP_HEADER, String.class),
                in.getHeader(PeerSignature.SIGNATURE_HEADER, String.class), "POST", PATH, body, System.currentTimeMillis());
        in.removeHeaders("*");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (!signed) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            in.setBody(json.writeValueAsBytes(new HandoverAnswer(false, "not signed with bridge.peer.secret", null)));
            return;
        }
        HandoverClaim claim = json.readValue(new String(body, StandardCharsets.UTF_8), HandoverClaim.class);
        HandoverResult result = leadership.onHandoverRequest(claim);
        byte[] answer = json.writeValueAsBytes(new HandoverAnswer(result.outcome() == HandoverResult.Outcome.GRANTED, result.reason(),
                result.captured()));
        long now = System.currentTimeMillis();
        in.setHeader(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
        in.setHeader(PeerSignature.SIGNATURE_HEADER, signature.sign(now, PeerSignature.RESPONSE, PATH, answer));
        in.setBody(answer);
    }
}
