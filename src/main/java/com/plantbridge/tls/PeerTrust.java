package com.plantbridge.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.NodeProperties;
import com.plantbridge.node.OncePerInterval;

/**
 * How this node checks the certificate of its peer (bridge.peer.url https://): against the CA
 * certificates of bridge.peer.trust-store (with the host name checked, as any HTTPS client does),
 * and/or against the pinned SHA-256 fingerprints of bridge.peer.certificate-fingerprint (a pair of
 * self-signed certificates; the pin names the certificate, so the host name is not checked). A
 * certificate that fails is refused before anything is sent, counted, logged at most once a
 * minute, and shown in status; the peer link's health says why.
 */
public final class PeerTrust extends X509ExtendedTrustManager {

    public static final String TRUST_STORE = "bridge.peer.trust-store";
    public static final String TRUST_STORE_PASSWORD = "bridge.peer.trust-store-password";
    public static final String FINGERPRINT = "bridge.peer.certificate-fingerprint";
    private static final Logger LOG = LoggerFactory.getLogger(PeerTrust.class);
    private static final String CONTEXT_BEAN = "bridgePeerTls";
    private static final String HOSTNAME_BEAN = "bridgePeerHostnames";

    /** A peer certificate this node refused; its message says why, in words an operator can act on. */
    public static final class Refused extends CertificateException {
        Refused(String message) {
            super(message);
        }
    }

    private final X509ExtendedTrustManager authorities;
    private final String authoritiesSource;
    private final Set<String> pins;
    private final Clock clock;
    private final OncePerInterval logLimit;
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastRefusal;
    private volatile Instant lastRefusedAt;

    private PeerTrust(X509ExtendedTrustManager authorities, String authoritiesSource, Set<String> pins, Clock clock) {
        this.authorities = authorities;
        this.authoritiesSource = authoritiesSource;
        this.pins = pins;
        this.clock = clock;
        this.logLimit = new OncePerInterval(Duration.ofMinutes(1), clock);
    }

    /** The trust for an https:// peer URL (required then, refused for http://); empty for a plain HTTP peer. */
    public static Optional<PeerTrust> load(NodeProperties properties, String peerUrl, Clock clock) {
        boolean https = peerUrl.toLowerCase(Locale.ROOT).startsWith("https://");
        Optional<String> store = properties.optional(TRUST_STORE);
        Set<String> pins = Fingerprints.parse(properties.textOrEmpty(FINGERPRINT), FINGERPRINT);
        if (!https) {
            if (store.isPresent() || !pins.isEmpty()) {
                throw new IllegalArgumentException((store.isPresent() ? TRUST_STORE : FINGERPRINT) + " is set but bridge.peer.url (" + peerUrl
                        + ") is plain HTTP: use https://");
            }
            return Optional.empty();
        }
        if (store.isEmpty() && pins.isEmpty()) {
            throw new IllegalArgumentException("bridge.peer.url is https:// but neither " + TRUST_STORE + " (the CA certificate of the pair)"
                    + " nor " + FINGERPRINT + " (the peer certificate's SHA-256) is set: the node would not know which certificate to trust");
        }
        X509ExtendedTrustManager authorities = null;
        if (store.isPresent()) {
            Path file = properties.path(TRUST_STORE);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(TRUST_STORE + ": " + file + " does not exist (a relative path is taken from the node's home folder)");
            }
            authorities = authorities(file, properties.textOrEmpty(TRUST_STORE_PASSWORD));
        }
        return Optional.of(new PeerTrust(authorities, store.orElse(null), pins, clock));
    }

    private static X509ExtendedTrustManager authorities(Path file, String password) {
        try {
            KeyStore store;
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(p12|pfx|jks)")) {
                store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, password.toCharArray());
                } catch (IOException e) {
                    throw new IllegalArgumentException(TRUST_STORE_PASSWORD + " does not open " + TRUST_STORE + " (" + file + "), or it is no PKCS12 store");
                }
            } else {
                List<X509Certificate> certificates = PemFiles.certificates(file, TRUST_STORE);
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca-" + i, certificates.get(i));
                }
            }
            if (store.size() == 0) {
                throw new IllegalArgumentException(TRUST_STORE + ": " + file + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(TRUST_STORE + ": " + file + " cannot be used (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The camel-http endpoint options that make the peer client use this trust: Camel's
     * SSLContextParameters with this trust manager and, for pins alone, no host name check.
     */
    public String endpointOptions(CamelContext context) {
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setCamelContext(context);
        trust.setTrustManager(this);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setCamelContext(context);
        parameters.setTrustManagers(trust);
        context.getRegistry().bind(CONTEXT_BEAN, parameters);
        if (authorities != null) {
            return "&sslContextParameters=#" + CONTEXT_BEAN;
        }
        context.getRegistry().bind(HOSTNAME_BEAN, NoopHostnameVerifier.INSTANCE);
        return "&sslContextParameters=#" + CONTEXT_BEAN + "&x509HostnameVerifier=#" + HOSTNAME_BEAN;
    }

    /** Why a failed exchange's certificate was refused, when that is why it failed. */
    public static Optional<String> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused refused) {
                return Optional.of(refused.getMessage());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                Optional<String> inner = refusal(suppressed);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    public String verification() {
        String byCa = authorities == null ? null : "the CA certificates of " + TRUST_STORE + " (" + authoritiesSource + "), host name checked";
        String byPin = pins.isEmpty() ? null : "the pinned SHA-256 of " + FINGERPRINT;
        return byCa == null ? byPin : byPin == null ? byCa : byCa + ", and " + byPin;
    }

    public long refusedCertificates() {
        return refused.get();
    }

    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("verification", verification());
        s.put("certificatesRefused", refused.get());
        s.put("lastRefusal", lastRefusal);
        s.put("lastRefusedAt", lastRefusedAt == null ? null : lastRefusedAt.toString());
        return s;
    }

    private void check(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refuse("the peer sent no certificate");
        }
        String sha256 = Fingerprints.sha256(chain[0]);
        if (!pins.isEmpty() && !pins.contains(sha256)) {
            throw refuse("its certificate " + chain[0].getSubjectX500Principal().getName() + " has SHA-256 " + sha256
                    + ", not the one pinned in " + FINGERPRINT);
        }
        if (authorities != null) {
            try {
                if (engine != null) {
                    authorities.checkServerTrusted(chain, authType, engine);
                } else if (socket != null) {
                    authorities.checkServerTrusted(chain, authType, socket);
                } else {
                    authorities.checkServerTrusted(chain, authType);
                }
            } catch (CertificateException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                throw refuse("its certificate " + chain[0].getSubjectX500Principal().getName() + " (SHA-256 " + sha256 + ") does not verify with "
                        + TRUST_STORE + ": " + root.getMessage());
            }
        }
    }

    private Refused refuse(String why) {
        refused.incrementAndGet();
        lastRefusal = why;
        lastRefusedAt = clock.instant();
        long unlogged = logLimit.event();
        if (unlogged >= 0) {
            LOG.warn("Peer link: the peer's TLS certificate is refused, nothing was sent: {}{} (at most one line a minute)", why,
                    unlogged == 0 ? "" : "; " + unlogged + " more refused since the last line");
        }
        return new Refused(why);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, null, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType, socket, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, null, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the peer client takes no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities == null ? new X509Certificate[0] : authorities.getAcceptedIssuers();
    }
}
