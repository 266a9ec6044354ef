package com.plantbridge.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** SHA-256 fingerprints of certificates, written as keytool prints them (AB:CD:...). */
public final class Fingerprints {

    private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();

    private Fingerprints() {
    }

    public static String sha256(X509Certificate certificate) {
        try {
            return COLONS.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("the certificate's SHA-256 cannot be computed", e);
        }
    }

    /** One or more fingerprints, comma separated, with or without colons, any case (two allow a certificate change); the error names the key. */
    static Set<String> parse(String value, String key) {
        Set<String> pins = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String hex = part.replace(":", "").replace(" ", "").strip().toUpperCase(Locale.ROOT);
            if (hex.isEmpty()) {
                continue;
            }
            if (!hex.matches("[0-9A-F]{64}")) {
                throw new IllegalArgumentException(key + ": '" + part.strip() + "' is not a SHA-256 fingerprint (64 hex digits, e.g. as"
                        + " keytool -printcert prints it after SHA256:)");
            }
            pins.add(COLONS.formatHex(HexFormat.of().parseHex(hex)));
        }
        return pins;
    }
}
