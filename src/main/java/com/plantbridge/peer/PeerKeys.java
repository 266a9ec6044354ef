package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;

import javax.crypto.spec.SecretKeySpec;

import com.plantbridge.settings.Secret;

/**
 * The keys of the peer link, derived from bridge.peer.secret with HKDF-SHA256: one for the
 * signatures, one for the AES encryption of mirrored settings. A short secret is refused at
 * start: a one-character secret was accepted before and could be guessed from one signed answer.
 */
public final class PeerKeys {

    public static final String SECRET_KEY = "bridge.peer.secret";
    public static final int MIN_SECRET_LENGTH = 32;
    private static final byte[] SALT = "ignition-maintainx-bridge peer link v2".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec signing;
    private final SecretKeySpec settings;

    private PeerKeys(byte[] signing, byte[] settings) {
        this.signing = new SecretKeySpec(signing, "HmacSHA256");
        this.settings = new SecretKeySpec(settings, "AES");
    }

    /** The keys of a secret of at least {@value #MIN_SECRET_LENGTH} characters; the message never contains the secret. */
    public static PeerKeys derive(Secret secret) {
        int length = secret.reveal().length();
        if (length == 0) {
            throw new IllegalArgumentException(SECRET_KEY + ": must be set (at least " + MIN_SECRET_LENGTH
                    + " characters, the same on both nodes) when bridge.peer.url is set");
        }
        if (length < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(SECRET_KEY + ": must be at least " + MIN_SECRET_LENGTH + " characters, it has " + length
                    + " (generate one with: openssl rand -base64 32)");
        }
        byte[] prk = Hkdf.extract(SALT, secret.reveal().getBytes(StandardCharsets.UTF_8));
        return new PeerKeys(Hkdf.expand(prk, "request and answer signatures".getBytes(StandardCharsets.US_ASCII), 32),
                Hkdf.expand(prk, "mirrored settings encryption".getBytes(StandardCharsets.US_ASCII), 32));
    }

    SecretKeySpec signingKey() {
        return signing;
    }

    /** The AES-256 key that seals the mirrored settings document. */
    public SecretKeySpec settingsKey() {
        return settings;
    }

    @Override
    public String toString() {
        return "PeerKeys[****]";
    }
}
