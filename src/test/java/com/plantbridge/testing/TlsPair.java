package com.plantbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.plantbridge.tls.Fingerprints;

/**
 * A pair's keys and certificates made by the command of docs/security.md, {@code docker/tls-pair.sh}, for
 * nodes on 127.0.0.1 (a pair CA, one certificate per node). Made once per test JVM: the script runs
 * keytool a dozen times.
 */
public final class TlsPair {

    /** One node's files and what the node's settings say about them. */
    public record Node(Path keyStore, String keyStorePassword, Path caPem, Path certificatePem, String sha256) {

        /** bridge.tls.* of this node and the pair CA as the trust of its peer link. */
        public Map<String, String> properties() {
            Map<String, String> p = new HashMap<>();
            p.put("bridge.tls.key-store", keyStore.toString());
            p.put("bridge.tls.key-store-password", keyStorePassword);
            p.put("bridge.peer.trust-store", caPem.toString());
            return p;
        }

        /** A client that trusts the pair CA only. */
        public SSLContext clientContext() {
            return TlsPair.clientContext(caPem);
        }
    }

    private static TlsPair made;

    public final Path dir;
    public final Node master;
    public final Node backup;

    private TlsPair(Path dir) throws IOException {
        this.dir = dir;
        this.master = node("master");
        this.backup = node("backup");
    }

    /** The pair of this JVM, made by docker/tls-pair.sh at its first use. */
    public static synchronized TlsPair get() {
        if (made == null) {
            try {
                Path dir = Files.createTempDirectory("tls-pair-");
                made = make(dir.resolve("pair"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return made;
    }

    /** Runs the script as docs/security.md says, into {@code out}. */
    public static TlsPair make(Path out) {
        try {
            Process script = new ProcessBuilder("bash", Path.of("docker/tls-pair.sh").toAbsolutePath().toString(), out.toString(),
                    "127.0.0.1,localhost", "127.0.0.1,localhost").redirectErrorStream(true).start();
            String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!script.waitFor(180, TimeUnit.SECONDS) || script.exitValue() != 0) {
                throw new IllegalStateException("docker/tls-pair.sh failed: " + output);
            }
            return new TlsPair(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed key and certificate for 127.0.0.1 (one keytool -genkeypair), as a site without a CA makes one. */
    public static Node selfSigned(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve(name + ".p12");
            Path pem = dir.resolve(name + ".pem");
            String password = "self-signed-" + name;
            run("keytool", "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                    "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "30", "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", password);
            run("keytool", "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", password, "-file", pem.toString());
            return new Node(store, password, pem, pem, Fingerprints.sha256(certificate(pem)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Node node(String name) throws IOException {
        Path nodeDir = dir.resolve(name);
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(nodeDir.resolve("application-tls.properties"))) {
            settings.load(in);
        }
        Path certificate = nodeDir.resolve("node.pem");
        return new Node(nodeDir.resolve("tls/node.p12"), settings.getProperty("bridge.tls.key-store-password"), nodeDir.resolve("tls/pair-ca.pem"),
                certificate, Fingerprints.sha256(certificate(certificate)));
    }

    public static X509Certificate certificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalStateException(pem + ": " + e, e);
        }
    }

    /** An SSL context whose only trust is the certificate(s) of this PEM file. */
    public static SSLContext clientContext(Path trustedPem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(trustedPem)) {
                int i = 0;
                for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("trusted-" + i++, certificate);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key and certificate chain of a node's key store, as PEM files a site might have instead. */
    public static Path[] asPem(Node node, Path dir) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(node.keyStore())) {
                store.load(in, node.keyStorePassword().toCharArray());
            }
            String alias = Collections.list(store.aliases()).get(0);
            var key = store.getKey(alias, node.keyStorePassword().toCharArray());
            StringBuilder chain = new StringBuilder();
            for (var certificate : store.getCertificateChain(alias)) {
                chain.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Files.createDirectories(dir);
            Path keyFile = dir.resolve("node-key.pem");
            Path certificateFile = dir.resolve("node-chain.pem");
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            Files.writeString(certificateFile, chain.toString());
            return new Path[] {certificateFile, keyFile};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
