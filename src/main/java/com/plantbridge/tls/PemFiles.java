package com.plantbridge.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and keys in PEM, as a plant's IT or openssl hands them over: certificates (a chain,
 * leaf first) through the JDK, a private key in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form through
 * Bouncy Castle's PEM parser (the JDK reads no PEM key; camel-main's camel.ssl.* reads key stores only).
 */
final class PemFiles {

    private PemFiles() {
    }

    /** Every certificate in the file, in order; the error names the setting. */
    static List<X509Certificate> certificates(Path file, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(key + ": " + file + " holds no certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (CertificateException e) {
            throw new IllegalArgumentException(key + ": " + file + " is not a PEM or DER certificate file");
        }
    }

    /** The one private key of an unencrypted PEM file; the error names the setting, never the key's text. */
    static PrivateKey privateKey(Path file, String key) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                throw new IllegalArgumentException(key + ": " + file + " is encrypted; give the key unencrypted in a file only the node's user"
                        + " can read (openssl pkcs8 -topk8 -nocrypt), or a PKCS12 key store with bridge.tls.key-store");
            }
            throw new IllegalArgumentException(key + ": " + file + " holds no PEM private key (PKCS#8 PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": " + file + " cannot be read as a PEM private key (" + e.getClass().getSimpleName() + ")");
        }
    }
}
