package com.plantbridge.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

import com.plantbridge.node.NodeProperties;

/**
 * The node's TLS key and certificate (chain), from a PKCS12 key store or from PEM files, checked at
 * start, handed to Camel as SSLContextParameters. camel-main 4.17's camel.ssl.* falls short for a
 * node: a relative key store path is taken from the process's working directory, not the node's
 * home (a node started from another folder does not find config/tls/node.p12), and it reads no PEM.
 */
public final class NodeCertificate {

    public static final String KEY_STORE = "bridge.tls.key-store";
    public static final String KEY_STORE_PASSWORD = "bridge.tls.key-store-password";
    public static final String CERTIFICATE = "bridge.tls.certificate";
    public static final String PRIVATE_KEY = "bridge.tls.private-key";
    /** How long before its end a certificate is reported as expiring. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyStore keyStore;
    /** Of the in-memory key store only: random, never written anywhere. */
    private final char[] password;
    private final List<X509Certificate> chain;
    private final String source;

    private NodeCertificate(PrivateKey key, List<X509Certificate> chain, String source) throws GeneralSecurityException, IOException {
        this.chain = List.copyOf(chain);
        this.source = source;
        this.password = new char[32];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + RANDOM.nextInt(26));
        }
        keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("node", key, password, chain.toArray(new Certificate[0]));
    }

    /** The node's certificate when bridge.tls.key-store or bridge.tls.certificate is set; a bad setting stops the node naming the key. */
    public static Optional<NodeCertificate> load(NodeProperties properties) {
        Optional<String> store = properties.optional(KEY_STORE);
        Optional<String> certificate = properties.optional(CERTIFICATE);
        Optional<String> key = properties.optional(PRIVATE_KEY);
        if (store.isEmpty() && certificate.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (store.isPresent() && (certificate.isPresent() || key.isPresent())) {
            throw new IllegalArgumentException(KEY_STORE + " and " + CERTIFICATE + "/" + PRIVATE_KEY + ": set one of them, not both");
        }
        if (store.isEmpty() && (certificate.isEmpty() || key.isEmpty())) {
            throw new IllegalArgumentException(certificate.isEmpty() ? CERTIFICATE + ": must be set with " + PRIVATE_KEY
                    : PRIVATE_KEY + ": must be set with " + CERTIFICATE);
        }
        try {
            NodeCertificate loaded = store.isPresent()
                    ? fromKeyStore(existing(properties, KEY_STORE), properties.textOrEmpty(KEY_STORE_PASSWORD), store.get())
                    : fromPem(existing(properties, CERTIFICATE), existing(properties, PRIVATE_KEY), certificate.get());
            loaded.checkKeyMatchesCertificate();
            return Optional.of(loaded);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException((store.isPresent() ? KEY_STORE : CERTIFICATE) + ": cannot be used (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Path existing(NodeProperties properties, String key) {
        Path file = properties.path(key);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(key + ": " + file + " does not exist (a relative path is taken from the node's home folder)");
        }
        return file;
    }

    private static NodeCertificate fromKeyStore(Path file, String password, String source) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalArgumentException(KEY_STORE_PASSWORD + " does not open " + KEY_STORE + " (" + file + ")");
            }
            throw new IllegalArgumentException(KEY_STORE + ": " + file + " is not a PKCS12 key store");
        }
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                keys.add(alias);
            }
        }
        if (keys.size() != 1) {
            throw new IllegalArgumentException(KEY_STORE + ": " + file + " holds " + keys.size() + " private keys; the node needs exactly one");
        }
        PrivateKey key;
        try {
            key = (PrivateKey) store.getKey(keys.get(0), password.toCharArray());
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException(KEY_STORE + ": the key in " + file + " has another password than " + KEY_STORE_PASSWORD);
        }
        List<X509Certificate> chain = Arrays.stream(store.getCertificateChain(keys.get(0))).map(X509Certificate.class::cast).toList();
        return new NodeCertificate(key, chain, source);
    }

    private static NodeCertificate fromPem(Path certificate, Path key, String source) throws GeneralSecurityException, IOException {
        return new NodeCertificate(PemFiles.privateKey(key, PRIVATE_KEY), PemFiles.certificates(certificate, CERTIFICATE), source);
    }

    /** A key that does not belong to the certificate makes every handshake fail; say so at start instead. */
    private void checkKeyMatchesCertificate() throws GeneralSecurityException {
        PrivateKey key = (PrivateKey) keyStore.getKey("node", password);
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        PublicKey publicKey = certificate().getPublicKey();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException(source + ": the private key does not belong to the certificate "
                    + certificate().getSubjectX500Principal().getName());
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public String sha256() {
        return Fingerprints.sha256(certificate());
    }

    /** Expired or ending within {@link #EXPIRY_WARNING}: the words for status and log, else empty. */
    public Optional<String> expiryProblem(Instant now) {
        Instant end = certificate().getNotAfter().toInstant();
        if (now.isAfter(end)) {
            return Optional.of("the node's TLS certificate expired at " + end + ": the peer and browsers refuse it; make a new one (docs/security.md)");
        }
        if (now.plus(EXPIRY_WARNING).isAfter(end)) {
            return Optional.of("the node's TLS certificate expires at " + end + "; make a new one before then (docs/security.md)");
        }
        return Optional.empty();
    }

    /** Camel's SSL parameters with this key: the context's global ones, which both HTTP servers use. */
    public SSLContextParameters sslContextParameters(CamelContext context) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setCamelContext(context);
        store.setKeyStore(keyStore);
        store.setPassword(new String(password));
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setCamelContext(context);
        keys.setKeyStore(store);
        keys.setKeyPassword(new String(password));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setCamelContext(context);
        parameters.setKeyManagers(keys);
        return parameters;
    }

    /** For status: what the peer and browsers are shown, and the fingerprint the other node may pin. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", source);
        s.put("subject", certificate().getSubjectX500Principal().getName());
        s.put("issuer", certificate().getIssuerX500Principal().getName());
        s.put("notAfter", certificate().getNotAfter().toInstant().toString());
        s.put("sha256", sha256());
        return s;
    }

    @Override
    public String toString() {
        return certificate().getSubjectX500Principal().getName() + " (SHA-256 " + sha256() + ", valid until "
                + certificate().getNotAfter().toInstant() + ", from " + source + ")";
    }
}
