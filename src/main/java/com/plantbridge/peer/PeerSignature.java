package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

import javax.crypto.Mac;

/**
 * HMAC-SHA256 signatures of the peer link. A request carries a timestamp and a random nonce; it is
 * accepted once, only within {@link #maxSkew()} of this node's clock. An answer is signed over the
 * nonce of the request it answers, its HTTP status and its body, so it can neither be replayed to
 * another request nor forged (an unsigned answer of the settings POST let a forged "confirmed 999"
 * show in status, and a signed view could be replayed for 30 s).
 */
public final class PeerSignature {

    public static final String TIMESTAMP_HEADER = "X-Bridge-Timestamp";
    public static final String NONCE_HEADER = "X-Bridge-Nonce";
    public static final String SIGNATURE_HEADER = "X-Bridge-Signature";
    /** On every peer answer, signed or not: a node without it runs another version of the link. */
    public static final String PROTOCOL_HEADER = "X-Bridge-Peer-Protocol";
    public static final String PROTOCOL = "2";
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(30);

    private static final Pattern NONCE = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why an inbound request was refused, or that it was accepted. */
    public enum Verdict { ACCEPTED, UNSIGNED, STALE, FORGED, REPLAYED }

    /** The headers of one signed request. */
    public record SignedRequest(long timestamp, String nonce, String signature) {
    }

    private final PeerKeys keys;
    private final Duration maxSkew;
    private final Clock clock;
    private final NonceMemory nonces;

    public PeerSignature(PeerKeys keys, Duration maxSkew, Clock clock) {
        this.keys = keys;
        this.maxSkew = maxSkew;
        this.clock = clock;
        this.nonces = new NonceMemory(maxSkew.toMillis());
    }

    public Duration maxSkew() {
        return maxSkew;
    }

    public long now() {
        return clock.millis();
    }

    public SignedRequest signRequest(String method, String path, byte[] body) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        long timestamp = clock.millis();
        return new SignedRequest(timestamp, nonce, mac("REQUEST", String.valueOf(timestamp), nonce, method, path, body));
    }

    /** Checks a request's headers; an accepted nonce is remembered, so the same request is accepted once. */
    public Verdict verifyRequest(String timestampHeader, String nonceHeader, String signatureHeader,
                                 String method, String path, byte[] body) {
        Verdict headers = screen(timestampHeader, nonceHeader, signatureHeader);
        if (headers != Verdict.ACCEPTED) {
            return headers;
        }
        long timestamp = parse(timestampHeader);
        long now = clock.millis();
        if (!same(mac("REQUEST", String.valueOf(timestamp), nonceHeader, method, path, body), signatureHeader)) {
            return Verdict.FORGED;
        }
        return nonces.firstUse(nonceHeader, timestamp, now) ? Verdict.ACCEPTED : Verdict.REPLAYED;
    }

    /**
     * The checks that need no body: UNSIGNED without well-formed headers, STALE outside the allowed
     * skew, else ACCEPTED (so far). The node reads no request body for a request that fails them.
     */
    public Verdict screen(String timestampHeader, String nonceHeader, String signatureHeader) {
        Long timestamp = parse(timestampHeader);
        if (timestamp == null || nonceHeader == null || !NONCE.matcher(nonceHeader).matches() || signatureHeader == null) {
            return Verdict.UNSIGNED;
        }
        long now = clock.millis();
        if (timestamp < now - maxSkew.toMillis() || timestamp > now + maxSkew.toMillis()) {
            return Verdict.STALE;
        }
        return Verdict.ACCEPTED;
    }

    /** True when the nonce header is well formed, so that an answer can be bound to it. */
    public static boolean isNonce(String value) {
        return value != null && NONCE.matcher(value).matches();
    }

    public String signAnswer(long timestamp, String requestNonce, int status, String path, byte[] body) {
        return mac("ANSWER", String.valueOf(timestamp), requestNonce, String.valueOf(status), path, body);
    }

    /** True when the answer was signed with this secret for the request with {@code requestNonce}. */
    public boolean verifyAnswer(String timestampHeader, String signatureHeader, String requestNonce, int status, String path, byte[] body) {
        Long timestamp = parse(timestampHeader);
        if (timestamp == null || signatureHeader == null) {
            return false;
        }
        return same(signAnswer(timestamp, requestNonce, status, path, body), signatureHeader);
    }

    static Long parse(String timestampHeader) {
        if (timestampHeader == null) {
            return null;
        }
        try {
            return Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String mac(String kind, String timestamp, String nonce, String methodOrStatus, String path, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.signingKey());
            String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
            String text = String.join("\n", "bridge-peer/" + PROTOCOL, kind, timestamp, nonce, methodOrStatus, path, bodyHash);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
