package com.plantbridge.tags;

import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;

import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

import com.plantbridge.ops.AtomicFiles;

/**
 * The node's OPC UA application certificate, created once and kept in the data dir: Ignition trusts
 * a client certificate by its thumbprint, so a new certificate at every start would need a new
 * approval on the gateway every time.
 */
record ClientCertificate(KeyPair keyPair, X509Certificate certificate) {

    private static final String ALIAS = "bridge";
    // The keystore only protects against accidental use; its file permissions are what matter.
    private static final char[] STORE_PASSWORD = "bridge".toCharArray();

    static ClientCertificate loadOrCreate(Path dataDir, String applicationUri, String nodeName) throws Exception {
        Path file = dataDir.resolve("pki").resolve("client.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, STORE_PASSWORD);
            }
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, STORE_PASSWORD);
            X509Certificate cert = (X509Certificate) store.getCertificate(ALIAS);
            return new ClientCertificate(new KeyPair(cert.getPublicKey(), key), cert);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate cert = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Ignition MaintainX bridge " + nodeName)
                .setApplicationUri(applicationUri)
                .addDnsName("localhost")
                .setValidityPeriod(Period.ofYears(10))
                .build();
        store.load(null, STORE_PASSWORD);
        store.setKeyEntry(ALIAS, keyPair.getPrivate(), STORE_PASSWORD, new Certificate[] {cert});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, STORE_PASSWORD);
        AtomicFiles.write(file, out.toByteArray());
        return new ClientCertificate(keyPair, cert);
    }
}
