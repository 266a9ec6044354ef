package com.plantbridge.tags;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ApplicationType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.settings.Secret;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

/**
 * The node talks only to a gateway whose certificate is in {@code <data-dir>/pki/trusted/}: an unknown
 * one is put in {@code rejected/}, refused with one ERROR naming it and saying what to do, and used
 * once an operator moved the file; with trust on first use the first certificate is pinned.
 */
class GatewayCertificateTrustTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TAG = "[default]Trust/Level";
    private static final String USER = "opcuauser";
    private static final String PASSWORD = "trust-pw";

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void anUnknownGatewayCertificateIsRefusedBeforeAnythingIsSentAndAcceptedOnceMovedToTrusted() throws Exception {
        SimulatedGateway gateway = gateway(SimulatedGateway.builder().name("trust").httpPort(-1).ignition83Security(USER, PASSWORD));
        gateway.addTag(TAG, 1.0);
        String thumbprint = GatewayTrust.thumbprint(gateway.certificate());
        Path rejected = dataDir.resolve("pki/rejected/" + thumbprint + ".der");

        try (LogCapture log = new LogCapture()) {
            ConnectionUnderTest client = connect(settings(gateway, false));
            await().atMost(WAIT).until(() -> Files.exists(rejected));
            await().atMost(WAIT).until(() -> !log.lines(Level.ERROR, thumbprint).isEmpty());
            Thread.sleep(2 * GatewayConnection.NEEDS_A_PERSON_RETRY_MS);   // more attempts, refused the same way

            List<LogCapture.Line> errors = log.lines(Level.ERROR, thumbprint);
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).message()).contains("not in").contains("move " + rejected).contains("pki/trusted");
            assertThat(log.problems()).allMatch(l -> !l.hasStackTrace());
            assertThat(client.connection.isSessionActive()).isFalse();
            assertThat(client.connection.problem()).contains(thumbprint);
            // No secure channel was opened, so no password was sent: the gateway never saw the node's certificate.
            assertThat(gateway.quarantinedClientCertificates()).isEmpty();

            Files.move(rejected, dataDir.resolve("pki/trusted/" + thumbprint + ".der"));
            await().atMost(WAIT).until(() -> !gateway.quarantinedClientCertificates().isEmpty());
            gateway.trustClientCertificate(gateway.quarantinedClientCertificates().get(0));

            await().atMost(WAIT).until(client::subscribed);
        }
    }

    @Test
    void trustOnFirstUsePinsTheFirstCertificateAndRefusesADifferentOneLater() throws Exception {
        SimulatedGateway gateway = gateway(SimulatedGateway.builder().name("tofu").httpPort(-1).user(USER, PASSWORD).basic256Sha256(true));
        gateway.addTag(TAG, 1.0);
        String first = GatewayTrust.thumbprint(gateway.certificate());

        try (LogCapture log = new LogCapture()) {
            ConnectionUnderTest client = connect(settings(gateway, true));
            await().atMost(WAIT).until(client::subscribed);
            assertThat(dataDir.resolve("pki/trusted/" + first + ".der")).exists();
            assertThat(log.lines(Level.WARN, "trusted on first use")).hasSize(1);

            gateway.renewCertificate();   // a reinstalled gateway, or another server on its address
            String second = GatewayTrust.thumbprint(gateway.certificate());

            await().atMost(WAIT).until(() -> !log.lines(Level.ERROR, second).isEmpty());
            Thread.sleep(2 * GatewayConnection.NEEDS_A_PERSON_RETRY_MS);
            assertThat(log.lines(Level.ERROR, second)).hasSize(1);
            assertThat(log.lines(Level.ERROR, second).get(0).message()).contains("differs from the certificate pinned").contains(first);
            assertThat(dataDir.resolve("pki/rejected/" + second + ".der")).exists();
            assertThat(client.connection.isSessionActive()).isFalse();
            gateway.writeTag(TAG, 2.0);
            Thread.sleep(500);
            assertThat(client.values).doesNotContain(2.0);

            Files.move(dataDir.resolve("pki/rejected/" + second + ".der"), dataDir.resolve("pki/trusted/" + second + ".der"));
            await().atMost(WAIT).until(client::subscribed);
            await().atMost(WAIT).until(() -> client.values.contains(2.0));
        }
    }

    @Test
    void aHostNameOrApplicationUriTheCertificateDoesNotNameIsReportedButATrustedCertificateIsUsed() throws Exception {
        KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keys).setCommonName("gw-a")
                .setApplicationUri("urn:gw-a").addDnsName("gw-a.plant.local").build();
        Path pki = dataDir.resolve("pki");
        GatewayTrust trust = new GatewayTrust(pki, false);
        EndpointDescription endpoint = endpoint(certificate, "urn:gw-b");

        assertThatThrownBy(() -> trust.check(endpoint, "gw-b.plant.local"))
                .isInstanceOf(GatewayTrust.GatewayCertificateRefused.class)
                .hasMessageContaining(GatewayTrust.thumbprint(certificate));

        Files.write(pki.resolve("trusted/gw-a.der"), certificate.getEncoded());
        List<String> notes = trust.check(endpoint, "gw-b.plant.local");

        assertThat(notes).hasSize(2);
        assertThat(notes.get(0)).contains("application URI").contains("urn:gw-b").contains("urn:gw-a");
        assertThat(notes.get(1)).contains("host name").contains("gw-b.plant.local").contains("gw-a.plant.local");
        assertThat(trust.check(endpoint(certificate, "urn:gw-a"), "gw-a.plant.local")).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static EndpointDescription endpoint(X509Certificate certificate, String serverUri) throws Exception {
        ApplicationDescription server = new ApplicationDescription(serverUri, "urn:product", LocalizedText.english("gw"),
                ApplicationType.Server, null, null, new String[0]);
        return new EndpointDescription("opc.tcp://gw:62541", server, ByteString.of(certificate.getEncoded()),
                MessageSecurityMode.SignAndEncrypt, SecurityPolicy.Basic256Sha256.getUri(), null, null, ubyte(0));
    }

    private SimulatedGateway gateway(SimulatedGateway.Builder builder) {
        SimulatedGateway gateway = builder.start();
        open.add(gateway);
        return gateway;
    }

    private ConnectionUnderTest connect(GatewaySettings settings) throws Exception {
        ConnectionUnderTest client = ConnectionUnderTest.start(settings, TAG);
        open.add(client);
        return client;
    }

    private GatewaySettings settings(SimulatedGateway gateway, boolean trustOnFirstUse) {
        return new GatewaySettings(gateway.opcUaEndpoint(), USER, Secret.of(PASSWORD), SecurityPolicy.Basic256Sha256,
                MessageSecurityMode.SignAndEncrypt, SimulatedGateway.TAG_NAMESPACE_URI, "trust-node", dataDir, trustOnFirstUse);
    }
}
