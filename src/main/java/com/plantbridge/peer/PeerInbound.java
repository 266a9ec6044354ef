package com.plantbridge.peer;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one check in front of every peer endpoint: a request must be signed, fresh and new, or it
 * gets 401, is counted, and changes nothing. Answers are signed over the request's nonce.
 */
public final class PeerInbound {

    private static final String NONCE_PROPERTY = "BridgePeerNonce";
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final PeerSignature signature;
    private final InboundRefusals refusals;
    private final ObjectMapper json;

    PeerInbound(PeerSignature signature, InboundRefusals refusals, ObjectMapper json) {
        this.json = json;
        this.signature = signature;
        this.refusals = refusals;
    }

    /** True for a request to process; otherwise the 401 answer is already set. */
    public boolean accept(Exchange exchange, String method, String path) throws JsonProcessingException {
        Message in = exchange.getMessage();
        // Read once and kept: the request body may be a stream that a second read finds empty.
        byte[] body = in.getBody(byte[].class);
        in.setBody(body);
        String nonce = in.getHeader(PeerSignature.NONCE_HEADER, String.class);
        PeerSignature.Verdict verdict = signature.verifyRequest(in.getHeader(PeerSignature.TIMESTAMP_HEADER, String.class), nonce,
                in.getHeader(PeerSignature.SIGNATURE_HEADER, String.class), method, path, body);
        if (PeerSignature.isNonce(nonce)) {
            exchange.setProperty(NONCE_PROPERTY, nonce);
        }
        if (verdict == PeerSignature.Verdict.ACCEPTED) {
            return true;
        }
        Object from = in.getHeader(REMOTE_ADDRESS);
        refusals.refused(verdict, path, from == null ? "an unknown address" : String.valueOf(from));
        answer(exchange, 401, path, json.writeValueAsBytes(Map.of("error", "peer request refused: "
                + InboundRefusals.describe(verdict) + "; peer requests must be signed with bridge.peer.secret")));
        return false;
    }

    /** Sets the answer, signed over the request's nonce when it had a well-formed one. */
    public void answer(Exchange exchange, int status, String path, byte[] body) {
        Message m = exchange.getMessage();
        String nonce = exchange.getProperty(NONCE_PROPERTY, String.class);
        long now = signature.now();
        // platform-http echoes message headers as response headers: start from none.
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader(PeerSignature.PROTOCOL_HEADER, PeerSignature.PROTOCOL);
        m.setHeader(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
        if (nonce != null) {
            m.setHeader(PeerSignature.SIGNATURE_HEADER, signature.signAnswer(now, nonce, status, path, body));
        }
        m.setBody(body);
    }
}
