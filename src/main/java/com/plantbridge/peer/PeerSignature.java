package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.plantbridge.settings.Secret;

/**
 * HMAC-SHA256 over a timestamp, the request line and the body's hash, with the shared
 * bridge.peer.secret. Both directions are signed: a forged "I am the Active Master" from anyone on
 * the network would make a node stop sending.
 */
public final class PeerSignature {

    public static final String TIMESTAMP_HEADER = "X-Bridge-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Bridge-Signature";
    public static final String RESPONSE = "RESPONSE";

    private final Secret secret;
    private final Duration maxSkew;

    public PeerSignature(Secret secret, Duration maxSkew) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("bridge.peer.secret: must be set when bridge.peer.url is set");
        }
        this.secret = secret;
        this.maxSkew = maxSkew;
    }

    public String sign(long timestampMillis, String method, String path, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String text = timestampMillis + "\n" + method + "\n" + path + "\n"
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** True when the signature is right and the timestamp within the allowed clock skew of now. */
    public boolean verify(String timestampHeader, String signatureHeader, String method, String path, byte[] body, long nowMillis) {
        if (timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowMillis - timestamp) > maxSkew.toMillis()) {
            return false;
        }
        byte[] expected = sign(timestamp, method, path, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
