package com.plantbridge.tags;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.validation.CertificateValidationUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.AtomicFiles;

/**
 * Whether this node may talk to the OPC UA server that answers at its endpoint. The server's
 * certificate must be in {@code <data-dir>/pki/trusted/} (DER or PEM, any file name); an unknown one
 * is written to {@code pki/rejected/<thumbprint>.der} and refused, so an operator can move it over.
 * Until this class, the client accepted any server certificate (Milo's InsecureCertificateValidator):
 * a node configured with a password sent it to a server it had never seen.
 *
 * <p>Milo's {@link DefaultClientCertificateValidator} does the path building and validity checks; the
 * trusted directory is read again at each check, so a file moved there counts at the next attempt
 * without a restart or a watcher thread. Milo only logs host name and application URI mismatches
 * (at every connect); {@link #check(EndpointDescription, String)} returns them to be reported once.
 */
public final class GatewayTrust implements CertificateValidator {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTrust.class);

    private final Path trustedDir;
    private final Path rejectedDir;
    private final boolean trustOnFirstUse;
    private final MemoryTrustListManager trustList = new MemoryTrustListManager();
    private final DefaultClientCertificateValidator validator;
    private final Set<Path> unreadable = ConcurrentHashMap.newKeySet();

    public GatewayTrust(Path pkiDir, boolean trustOnFirstUse) {
        this.trustedDir = pkiDir.resolve("trusted");
        this.rejectedDir = pkiDir.resolve("rejected");
        this.trustOnFirstUse = trustOnFirstUse;
        this.validator = new DefaultClientCertificateValidator(trustList, new RejectedDirectory());
        try {
            Files.createDirectories(trustedDir);
            Files.createDirectories(rejectedDir);
        } catch (IOException e) {
            throw new UncheckedIOException(pkiDir + ": cannot create trusted/ and rejected/", e);
        }
    }

    public Path trustedDir() {
        return trustedDir;
    }

    public Path rejectedDir() {
        return rejectedDir;
    }

    /** Milo calls this on the secure channel and at CreateSession; only trust decides, mismatches were reported by {@link #check}. */
    @Override
    public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String[] validHostNames) throws UaException {
        validate(chain);
    }

    /**
     * Trust of the certificate an endpoint advertises, before anything (a password above all) is sent
     * to it. Returns what does not match the settings but is not a reason to refuse a certificate
     * the operator trusted: host name and application URI.
     */
    public List<String> check(EndpointDescription endpoint, String configuredHost) throws UaException {
        if (endpoint.getServerCertificate() == null || endpoint.getServerCertificate().isNullOrEmpty()) {
            throw new UaException(StatusCodes.Bad_CertificateInvalid, "the server presents no certificate");
        }
        List<X509Certificate> chain = CertificateUtil.decodeCertificates(endpoint.getServerCertificate().bytesOrEmpty());
        validate(chain);
        X509Certificate certificate = chain.get(0);
        List<String> notes = new ArrayList<>();
        String advertisedUri = endpoint.getServer() == null ? null : endpoint.getServer().getApplicationUri();
        Optional<String> certificateUri = CertificateUtil.getSanUri(certificate);
        if (advertisedUri != null && !certificateUri.map(advertisedUri::equals).orElse(false)) {
            notes.add("application URI mismatch: the server says " + advertisedUri + ", its certificate "
                    + certificateUri.orElse("names none"));
        }
        try {
            CertificateValidationUtil.checkHostnameOrIpAddress(certificate, configuredHost);
        } catch (UaException e) {
            List<String> names = new ArrayList<>(CertificateUtil.getSanDnsNames(certificate));
            names.addAll(CertificateUtil.getSanIpAddresses(certificate));
            notes.add("host name mismatch: ignition.opcua.endpoint names '" + configuredHost + "', the certificate " + names);
        }
        return notes;
    }

    private synchronized void validate(List<X509Certificate> chain) throws UaException {
        if (chain.isEmpty()) {
            throw new UaException(StatusCodes.Bad_CertificateInvalid, "the server presents no certificate");
        }
        X509Certificate leaf = chain.get(0);
        List<X509Certificate> trusted = readTrusted();
        if (trusted.isEmpty() && trustOnFirstUse) {
            Path pinned = trustedDir.resolve(thumbprint(leaf) + ".der");
            AtomicFiles.write(pinned, encoded(leaf));
            LOG.warn("OPC UA server certificate {} ({}) trusted on first use and pinned as {}; a different certificate will be refused",
                    thumbprint(leaf), leaf.getSubjectX500Principal().getName(), pinned);
            trusted = List.of(leaf);
        }
        trustList.setTrustedCertificates(trusted);
        try {
            validator.validateCertificateChain(chain, null, null);
        } catch (UaException e) {
            throw refusal(leaf, trusted, e);
        }
    }

    private GatewayCertificateRefused refusal(X509Certificate leaf, List<X509Certificate> trusted, UaException cause) {
        String thumbprint = thumbprint(leaf);
        boolean known = trusted.stream().anyMatch(leaf::equals);
        String why;
        if (known) {
            why = "it is trusted but not valid: " + cause.getMessage();
        } else if (trustOnFirstUse && !trusted.isEmpty()) {
            why = "it differs from the certificate pinned on first use (" + trusted.stream().map(GatewayTrust::thumbprint).toList()
                    + " in " + trustedDir + ")";
        } else {
            why = "it is not in " + trustedDir;
        }
        String action = known ? "renew the gateway's certificate or fix this machine's clock"
                : "if it is your gateway's certificate (compare the thumbprint on the gateway), move "
                        + rejectedDir.resolve(thumbprint + ".der") + " to " + trustedDir + "; the node connects at its next attempt";
        return new GatewayCertificateRefused(thumbprint, leaf.getSubjectX500Principal().getName(), why, action, cause);
    }

    private List<X509Certificate> readTrusted() {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Stream<Path> files = Files.list(trustedDir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    certificates.addAll(CertificateUtil.decodeCertificates(in));
                    unreadable.remove(file);
                } catch (IOException | UaException e) {
                    if (unreadable.add(file)) {
                        LOG.warn("{} is not a DER or PEM certificate; ignored ({})", file, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(trustedDir + ": cannot be read", e);
        }
        return certificates;
    }

    /** SHA-1 of the DER encoding, lowercase hex, as in the names of the files in trusted/ and rejected/. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(encoded(certificate)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** Named by thumbprint, the name the refusal message gives (Milo's own quarantine names files by signature). */
    private final class RejectedDirectory implements CertificateQuarantine {
        @Override
        public List<X509Certificate> getRejectedCertificates() {
            return List.of();
        }

        @Override
        public void addRejectedCertificate(X509Certificate certificate) {
            AtomicFiles.write(rejectedDir.resolve(thumbprint(certificate) + ".der"), encoded(certificate));
        }

        @Override
        public void removeRejectedCertificate(X509Certificate certificate) {
            try {
                Files.deleteIfExists(rejectedDir.resolve(thumbprint(certificate) + ".der"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The server's certificate was refused; the message says which one, why and what to do. */
    public static final class GatewayCertificateRefused extends UaException {
        private final String thumbprint;
        private final String subject;
        private final String why;
        private final String action;

        GatewayCertificateRefused(String thumbprint, String subject, String why, String action, UaException cause) {
            super(StatusCodes.Bad_CertificateUntrusted, "server certificate " + thumbprint + " (" + subject + ") refused: " + why
                    + ". To accept it: " + action, cause);
            this.thumbprint = thumbprint;
            this.subject = subject;
            this.why = why;
            this.action = action;
        }

        public String thumbprint() {
            return thumbprint;
        }

        public String subject() {
            return subject;
        }

        public String why() {
            return why;
        }

        public String action() {
            return action;
        }
    }
}
