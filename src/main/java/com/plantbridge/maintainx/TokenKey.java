package com.plantbridge.maintainx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.plantbridge.settings.ConnectorSettings;

/** Whose requests: a token (by fingerprint, never the token itself) and organisation. */
record TokenKey(String token, Long organizationId) {

    static TokenKey of(ConnectorSettings connector) {
        return new TokenKey(fingerprint(connector.token().reveal()), connector.organizationId());
    }

    static String fingerprint(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
