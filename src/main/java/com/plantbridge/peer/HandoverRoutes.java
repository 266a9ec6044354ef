package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import com.plantbridge.redundancy.HandoverClaim;
import com.plantbridge.redundancy.HandoverResult;
import com.plantbridge.redundancy.LeadershipController;
import com.plantbridge.settings.YamlErrors;

/**
 * {@code POST /api/peer/handover}: the peer's node asks this one to stop leading. Only a request
 * signed with the shared secret, fresh and not seen before, is heard; the answer is signed over the
 * request's nonce, so nobody else can make either node stop or start sending.
 */
public final class HandoverRoutes extends RouteBuilder {

    public static final String PATH = "/api/peer/handover";

    private final PeerLink link;
    private final LeadershipController leadership;
    private final ObjectMapper json;

    public HandoverRoutes(PeerLink link, LeadershipController leadership, ObjectMapper json) {
        this.link = link;
        this.leadership = leadership;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=POST").routeId("peer-handover-answer")
                .process(this::answer);
    }

    private void answer(Exchange exchange) throws Exception {
        if (!link.inbound().accept(exchange, "POST", PATH)) {
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        HandoverClaim claim;
        try {
            claim = json.readValue(new String(body, StandardCharsets.UTF_8), HandoverClaim.class);
        } catch (JsonProcessingException e) {
            link.inbound().answer(exchange, 400, PATH, json.writeValueAsBytes(
                    Map.of("error", "the handover claim is not readable JSON" + YamlErrors.describe(e) + "; leadership is unchanged")));
            return;
        }
        HandoverResult result = leadership.onHandoverRequest(claim);
        HandoverAnswer answer = new HandoverAnswer(result.outcome() == HandoverResult.Outcome.GRANTED, result.reason());
        link.inbound().answer(exchange, 200, PATH, json.writeValueAsBytes(answer));
    }
}
