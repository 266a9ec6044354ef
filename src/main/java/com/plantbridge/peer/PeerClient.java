package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import com.plantbridge.tls.PeerTrust;

/**
 * This node's signed requests to its configured peer (the view poll and the settings push): each
 * request gets a fresh nonce, each answer must be signed over that nonce, and every outcome is
 * recorded in the link's health, so that both callers diagnose the link the same way.
 */
public final class PeerClient {

    /** An answer whose signature verified: the peer said this, to this very request. */
    public record Answer(int status, byte[] body) {
    }

    private final CamelContext context;
    private final PeerSignature signature;
    private final PeerLinkHealth health;
    private final String peerUrl;
    private final ObjectMapper json;
    /** camel-http options of an https:// peer (its certificate checked by {@link PeerTrust}), else empty. */
    private final String tlsOptions;
    private volatile ProducerTemplate template;

    PeerClient(CamelContext context, PeerSignature signature, PeerLinkHealth health, String peerUrl, ObjectMapper json, String tlsOptions) {
        this.json = json;
        this.context = context;
        this.signature = signature;
        this.health = health;
        this.peerUrl = peerUrl;
        this.tlsOptions = tlsOptions;
    }

    /** The verified answer, or empty when the peer is unreachable or its answer does not authenticate. */
    public Optional<Answer> exchange(String method, String path, byte[] body, String contentType, Duration timeout) {
        PeerSignature.SignedRequest signed = signature.signRequest(method, path, body);
        long ms = timeout.toMillis();
        long sent = signature.now();
        Exchange result = template().send(peerUrl + path + "?httpMethod=" + method + "&throwExceptionOnFailure=false"
                + "&connectTimeout=" + ms + "&responseTimeout=" + ms + "&connectionRequestTimeout=" + ms + tlsOptions, e -> {
                    Message m = e.getMessage();
                    m.setBody(body);
                    if (contentType != null) {
                        m.setHeader(Exchange.CONTENT_TYPE, contentType);
                    }
                    m.setHeader(PeerSignature.TIMESTAMP_HEADER, String.valueOf(signed.timestamp()));
                    m.setHeader(PeerSignature.NONCE_HEADER, signed.nonce());
                    m.setHeader(PeerSignature.SIGNATURE_HEADER, signed.signature());
                });
        long received = signature.now();
        if (result.getException() != null) {
            Optional<String> refused = PeerTrust.refusal(result.getException());
            if (refused.isPresent()) {
                health.failed(PeerLinkDiagnosis.certificateRefused(refused.get()), null);
            } else {
                health.unreachable("peer unreachable: " + unreachable(result.getException()));
            }
            return Optional.empty();
        }
        Message answer = result.getMessage();
        int status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] answerBody = answer.getBody(byte[].class);
        answerBody = answerBody == null ? new byte[0] : answerBody;
        String protocol = answer.getHeader(PeerSignature.PROTOCOL_HEADER, String.class);
        String timestamp = answer.getHeader(PeerSignature.TIMESTAMP_HEADER, String.class);
        Long peerTime = PeerSignature.parse(timestamp);
        Long offset = peerTime == null ? null : peerTime - (sent + received) / 2;
        boolean verified = signature.verifyAnswer(timestamp, answer.getHeader(PeerSignature.SIGNATURE_HEADER, String.class),
                signed.nonce(), status, path, answerBody);
        if (verified && status != 401) {
            health.verified(offset);
            return Optional.of(new Answer(status, answerBody));
        }
        if (!verified && status >= 500) {
            health.unreachable("peer answered HTTP " + status);
            return Optional.empty();
        }
        health.failed(PeerLinkDiagnosis.cause(status, protocol, verified, offset, verified ? reason(answerBody) : null, signature.maxSkew()), offset);
        return Optional.empty();
    }

    /** The failure's kind, with a hint when the two ends disagree about TLS. */
    private String unreachable(Exception failure) {
        String kind = failure.getClass().getSimpleName();
        if (peerUrl.startsWith("https://") && failure instanceof javax.net.ssl.SSLException) {
            return kind + " (bridge.peer.url is https://: does the peer serve HTTPS?)";
        }
        if (peerUrl.startsWith("http://") && failure instanceof org.apache.hc.core5.http.NoHttpResponseException) {
            return kind + " (no HTTP answer: if the peer serves HTTPS, bridge.peer.url must start with https://)";
        }
        return kind;
    }

    private String reason(byte[] body) {
        try {
            JsonNode node = json.readTree(new String(body, StandardCharsets.UTF_8));
            return node == null ? null : node.path("error").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
