package com.plantbridge.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one check of every peer call: a request must be signed, fresh and new, or it gets 401, is
 * counted, and changes nothing. The admin port's authorization runs it before any peer route
 * ({@link #screen} before the body is read, {@link #verify} after); the route then only confirms
 * that its request is one the check let through ({@link #accept}). Answers are signed over the
 * request's nonce.
 */
public final class PeerInbound {

    /** An answer written before any route runs: its status, headers and body. */
    public record Refusal(int status, Map<String, String> headers, byte[] body) {
    }

    private record Verified(String call, long at) {
    }

    private static final String NONCE_PROPERTY = "BridgePeerNonce";

    private final PeerSignature signature;
    private final InboundRefusals refusals;
    private final ObjectMapper json;
    /** Nonces the check accepted, until their route runs; what a route never took is dropped after the skew window. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    PeerInbound(PeerSignature signature, InboundRefusals refusals, ObjectMapper json) {
        this.json = json;
        this.signature = signature;
        this.refusals = refusals;
    }

    /** Before the body is read: the refusal for a request without fresh, well-formed signature headers. */
    public Optional<Refusal> screen(String path, UnaryOperator<String> headers, String from) {
        PeerSignature.Verdict verdict = signature.screen(headers.apply(PeerSignature.TIMESTAMP_HEADER),
                headers.apply(PeerSignature.NONCE_HEADER), headers.apply(PeerSignature.SIGNATURE_HEADER));
        return verdict == PeerSignature.Verdict.ACCEPTED ? Optional.empty() : Optional.of(refuse(verdict, path, headers, from));
    }

    /** The signature over method, path and body, and the nonce's first use; empty when the request may go to its route. */
    public Optional<Refusal> verify(String method, String path, UnaryOperator<String> headers, byte[] body, String from) {
        String nonce = headers.apply(PeerSignature.NONCE_HEADER);
        PeerSignature.Verdict verdict = signature.verifyRequest(headers.apply(PeerSignature.TIMESTAMP_HEADER), nonce,
                headers.apply(PeerSignature.SIGNATURE_HEADER), method, path, body);
        if (verdict != PeerSignature.Verdict.ACCEPTED) {
            return Optional.of(refuse(verdict, path, headers, from));
        }
        long now = signature.now();
        verified.values().removeIf(v -> now - v.at() > 2 * signature.maxSkew().toMillis());
        verified.put(nonce, new Verified(method + " " + path, now));
        return Optional.empty();
    }

    /** True for a request {@link #verify} let through to this route (once); otherwise the 401 answer is already set. */
    public boolean accept(Exchange exchange, String method, String path) throws JsonProcessingException {
        Message in = exchange.getMessage();
        // Read once and kept: the request body may be a stream that a second read finds empty.
        in.setBody(in.getBody(byte[].class));
        String nonce = in.getHeader(PeerSignature.NONCE_HEADER, String.class);
        Verified call = nonce == null ? null : verified.remove(nonce);
        if (PeerSignature.isNonce(nonce)) {
            exchange.setProperty(NONCE_PROPERTY, nonce);
        }
        if (call != null && call.call().equals(method + " " + path)) {
            return true;
        }
        answer(exchange, 401, path, refusalBody("not verified by the admin port's peer check"));
        return false;
    }

    /** Sets the answer, signed over the request's nonce when it had a well-formed one. */
    public void answer(Exchange exchange, int status, String path, byte[] body) {
        Message m = exchange.getMessage();
        // platform-http echoes message headers as response headers: start from none.
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        answerHeaders(status, path, body, exchange.getProperty(NONCE_PROPERTY, String.class)).forEach(m::setHeader);
        m.setBody(body);
    }

    private Refusal refuse(PeerSignature.Verdict verdict, String path, UnaryOperator<String> headers, String from) {
        refusals.refused(verdict, path, from == null ? "an unknown address" : from);
        byte[] body = refusalBody(InboundRefusals.describe(verdict));
        String nonce = headers.apply(PeerSignature.NONCE_HEADER);
        return new Refusal(401, answerHeaders(401, path, body, PeerSignature.isNonce(nonce) ? nonce : null), body);
    }

    private byte[] refusalBody(String why) {
        try {
            return json.writeValueAsBytes(Map.of("error", "peer request refused: " + why + "; peer requests must be signed with bridge.peer.secret"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> answerHeaders(int status, String path, byte[] body, String nonce) {
        long now = signature.now();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        headers.put(PeerSignature.PROTOCOL_HEADER, PeerSignature.PROTOCOL);
        headers.put(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
        if (nonce != null) {
            headers.put(PeerSignature.SIGNATURE_HEADER, signature.signAnswer(now, nonce, status, path, body));
        }
        return headers;
    }
}
