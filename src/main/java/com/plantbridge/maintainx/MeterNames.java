package com.plantbridge.maintainx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of the meter the node finds or creates for a tag: {@code <connector>: <tag path>}, the
 * same on both nodes of a pair and after any restart, so that a node finds the meter it (or its
 * peer) created instead of making a second one. MaintainX's API states no maximum length for a
 * name; {@value #MAX_LENGTH} characters is assumed (a common database column size): a longer name
 * keeps its start and ends with {@code " ~"} and 12 hex digits of the SHA-256 of the full name, so
 * two long paths that share their first 240 characters still get different names.
 */
public final class MeterNames {

    public static final int MAX_LENGTH = 255;
    private static final int HASH_DIGITS = 12;

    private MeterNames() {
    }

    public static String of(String connector, String tagPath) {
        String full = connector + ": " + tagPath;
        if (full.length() <= MAX_LENGTH) {
            return full;
        }
        String suffix = " ~" + sha256(full).substring(0, HASH_DIGITS);
        int keep = MAX_LENGTH - suffix.length();
        if (Character.isHighSurrogate(full.charAt(keep - 1))) {
            keep--;   // never half a character
        }
        return full.substring(0, keep) + suffix;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
