package com.plantbridge.tags;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.Base64;

import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

import com.plantbridge.node.AtomicFiles;
import com.plantbridge.node.FileModes;

/**
 * The node's OPC UA application certificate, created once in {@code <data-dir>/pki/}: Ignition trusts
 * a client certificate by its thumbprint, so a new certificate at every start would need a new
 * approval on the gateway every time.
 *
 * <p>{@code client.p12} holds the key; its password is random, made with the store and kept in
 * {@code client.p12.password} beside it (no password is written in the code). Both are readable by
 * the owner only (0600) in a directory only the owner may enter (0700), where the file system has
 * POSIX modes. {@code client.der} is the public certificate, for gateways that import one.
 */
public record ClientCertificate(KeyPair keyPair, X509Certificate certificate) {

    static final String STORE = "client.p12";
    static final String PASSWORD = "client.p12.password";
    static final String PUBLIC = "client.der";
    private static final String ALIAS = "bridge";

    /** Loads the certificate kept in {@code pkiDir}, or creates it for this application URI. */
    public static ClientCertificate loadOrCreate(Path pkiDir, String applicationUri, String commonName) throws Exception {
        FileModes.ownerOnlyDirectory(pkiDir);
        Path store = pkiDir.resolve(STORE);
        Path passwordFile = pkiDir.resolve(PASSWORD);
        if (Files.exists(store)) {
            if (!Files.exists(passwordFile)) {
                throw new IllegalStateException(store + " exists without " + passwordFile.getFileName()
                        + ": delete " + store.getFileName() + " to create a new client certificate (trust the new one on the gateway)");
            }
            return load(store, Files.readString(passwordFile, StandardCharsets.US_ASCII).trim().toCharArray());
        }
        return create(pkiDir, applicationUri, commonName);
    }

    private static ClientCertificate load(Path file, char[] password) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try {
            keyStore.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(file + " cannot be opened with the password in " + PASSWORD + " (" + e.getMessage() + ")", e);
        }
        PrivateKey key = (PrivateKey) keyStore.getKey(ALIAS, password);
        X509Certificate cert = (X509Certificate) keyStore.getCertificate(ALIAS);
        if (key == null || cert == null) {
            throw new IllegalStateException(file + " holds no key entry '" + ALIAS + "'");
        }
        return new ClientCertificate(new KeyPair(cert.getPublicKey(), key), cert);
    }

    private static ClientCertificate create(Path pkiDir, String applicationUri, String commonName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate cert = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName(commonName)
                .setApplicationUri(applicationUri)
                .addDnsName("localhost")
                .setValidityPeriod(Period.ofYears(10))
                .build();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, password);
        keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), password, new Certificate[] {cert});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        keyStore.store(out, password);
        // Password first: a store is never left without the means to open it.
        AtomicFiles.writeSecret(pkiDir.resolve(PASSWORD), new String(password).getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writeSecret(pkiDir.resolve(STORE), out.toByteArray());
        AtomicFiles.write(pkiDir.resolve(PUBLIC), cert.getEncoded());
        return new ClientCertificate(keyPair, cert);
    }

    /** The application URI the certificate was made for; the client must present exactly this one. */
    public String applicationUri() {
        return CertificateUtil.getSanUri(certificate).orElseThrow(
                () -> new IllegalStateException("the client certificate has no application URI"));
    }

    /** SHA-1 of the DER encoding, lowercase hex: what gateways and the pki/ file names show. */
    public String thumbprint() {
        return GatewayTrust.thumbprint(certificate);
    }
}
