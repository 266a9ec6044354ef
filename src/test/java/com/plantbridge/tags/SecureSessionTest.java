package com.plantbridge.tags;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.plantbridge.settings.Secret;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions against a simulated gateway set up like Ignition 8.3 (secure endpoints only, anonymous off,
 * a user required, the client certificate trusted on the gateway first), over TCP, for every security
 * policy, mode and identity the node supports; and the refusals an operator has to act on, each
 * logged once with what to do.
 */
class SecureSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TAG = "[default]Secure/Level";
    private static final String USER = "opcuauser";
    private static final String PASSWORD = "s3cret-pw";
    private static final SecurityPolicy[] SECURE = {
            SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss};

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static Stream<Arguments> everyPolicyModeAndIdentity() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean anonymous : new boolean[] {false, true}) {
            cases.add(Arguments.of(SecurityPolicy.None, MessageSecurityMode.None, anonymous));
            for (SecurityPolicy policy : SECURE) {
                for (MessageSecurityMode mode : List.of(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt)) {
                    cases.add(Arguments.of(policy, mode, anonymous));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} / {1}, anonymous={2}")
    @MethodSource("everyPolicyModeAndIdentity")
    void aSessionOpensAndDeliversValuesWithEveryPolicyModeAndIdentity(SecurityPolicy policy, MessageSecurityMode mode,
                                                                       boolean anonymous) throws Exception {
        SimulatedGateway.Builder builder = SimulatedGateway.builder().name("sec").httpPort(-1).securityPolicies(SECURE);
        if (policy != SecurityPolicy.None) {
            builder.offerNone(false).trustedClientsOnly();   // Ignition 8.3's defaults
        }
        if (!anonymous) {
            builder.user(USER, PASSWORD);                    // and with it, anonymous access off
        }
        SimulatedGateway gateway = gateway(builder);
        gateway.addTag(TAG, 5.0);
        GatewaySettings settings = settings(gateway, policy, mode, anonymous);
        trustEachOther(gateway, settings);

        ConnectionUnderTest client = connect(settings);

        await().atMost(WAIT).until(client::subscribed);
        await().atMost(WAIT).until(() -> client.values.contains(5.0));
        EndpointDescription endpoint = client.connection.client().orElseThrow().getConfig().getEndpoint();
        assertThat(endpoint.getSecurityPolicyUri()).isEqualTo(policy.getUri());
        assertThat(endpoint.getSecurityMode()).isEqualTo(mode);
        gateway.writeTag(TAG, 6.0);
        await().atMost(WAIT).until(() -> client.values.contains(6.0));
    }

    @Test
    void aClientCertificateTheGatewayDoesNotTrustIsReportedOnceWithItsThumbprintAndWorksOnceTrusted() throws Exception {
        SimulatedGateway gateway = gateway(SimulatedGateway.builder().name("sec").httpPort(-1).ignition83Security(USER, PASSWORD));
        gateway.addTag(TAG, 5.0);
        GatewaySettings settings = settings(gateway, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, false);
        Files.createDirectories(settings.pkiDir().resolve("trusted"));
        Files.write(settings.pkiDir().resolve("trusted/gateway.der"), gateway.certificate().getEncoded());

        try (LogCapture log = new LogCapture()) {
            ConnectionUnderTest client = connect(settings);
            await().atMost(WAIT).until(() -> !gateway.quarantinedClientCertificates().isEmpty());
            String thumbprint = client.connection.clientThumbprint().orElseThrow();
            await().atMost(WAIT).until(() -> !log.lines(Level.ERROR, thumbprint).isEmpty());
            Thread.sleep(2 * GatewayConnection.NEEDS_A_PERSON_RETRY_MS);   // several more attempts fail the same way

            assertThat(GatewayTrust.thumbprint(gateway.quarantinedClientCertificates().get(0))).isEqualTo(thumbprint);
            assertThat(log.lines(Level.ERROR, "refused this node's certificate")).hasSize(1);
            assertThat(log.lines(Level.ERROR, "refused this node's certificate").get(0).message())
                    .contains(thumbprint).contains("Trust");
            assertThat(log.problems()).allMatch(l -> !l.hasStackTrace());
            assertThat(client.connection.problem()).contains(thumbprint);

            gateway.trustClientCertificate(gateway.quarantinedClientCertificates().get(0));

            await().atMost(WAIT).until(client::subscribed);
            await().atMost(WAIT).until(() -> client.values.contains(5.0));
        }
    }

    @Test
    void anonymousAgainstAGatewayThatRequiresAUserIsRefusedBeforeConnectingWithOneErrorSayingWhatToSet() throws Exception {
        SimulatedGateway gateway = gateway(SimulatedGateway.builder().name("sec").httpPort(-1).ignition83Security(USER, PASSWORD));
        GatewaySettings settings = settings(gateway, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, true);
        trustEachOther(gateway, settings);

        try (LogCapture log = new LogCapture()) {
            ConnectionUnderTest client = connect(settings);
            await().atMost(WAIT).until(() -> !log.lines(Level.ERROR, "does not allow anonymous").isEmpty());
            Thread.sleep(2 * GatewayConnection.NEEDS_A_PERSON_RETRY_MS);

            assertThat(log.lines(Level.ERROR, "does not allow anonymous")).hasSize(1);
            assertThat(log.lines(Level.ERROR, "does not allow anonymous").get(0).message()).contains("ignition.opcua.username");
            assertThat(client.connection.isSessionActive()).isFalse();
        }
    }

    @Test
    void aWrongPasswordIsReportedOnceAndNeverLogged() throws Exception {
        SimulatedGateway gateway = gateway(SimulatedGateway.builder().name("sec").httpPort(-1).ignition83Security(USER, PASSWORD));
        GatewaySettings right = settings(gateway, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, false);
        GatewaySettings wrong = new GatewaySettings(right.endpoint(), USER, Secret.of("not-the-password"), right.securityPolicy(),
                right.securityMode(), right.tagNamespace(), right.nodeName(), right.dataDir(), false);
        trustEachOther(gateway, wrong);

        try (LogCapture log = new LogCapture()) {
            ConnectionUnderTest client = connect(wrong);
            await().atMost(WAIT).until(() -> !log.lines(Level.ERROR, "identity was refused").isEmpty());
            Thread.sleep(2 * GatewayConnection.NEEDS_A_PERSON_RETRY_MS);

            assertThat(log.lines(Level.ERROR, "identity was refused")).hasSize(1);
            assertThat(log.lines(Level.ERROR, "identity was refused").get(0).message()).contains(USER);
            assertThat(log.lines()).noneMatch(l -> l.message().contains("not-the-password"));
            assertThat(client.connection.isSessionActive()).isFalse();
        }
    }

    @Test
    void theClientKeyIsCreatedOnceReadableByTheOwnerOnlyWithARandomPasswordKeptBesideIt() throws Exception {
        SimulatedGateway gateway = gateway(SimulatedGateway.builder().name("sec").httpPort(-1));
        GatewaySettings settings = settings(gateway, SecurityPolicy.None, MessageSecurityMode.None, true);
        ClientCertificate first = ClientCertificate.loadOrCreate(settings.pkiDir(), "urn:test:node", "node");
        ClientCertificate again = ClientCertificate.loadOrCreate(settings.pkiDir(), "urn:test:node", "node");
        ClientCertificate elsewhere = ClientCertificate.loadOrCreate(dataDir.resolve("other/pki"), "urn:test:node", "node");

        assertThat(again.thumbprint()).isEqualTo(first.thumbprint());
        for (String file : List.of(ClientCertificate.STORE, ClientCertificate.PASSWORD)) {
            assertThat(Files.getPosixFilePermissions(settings.pkiDir().resolve(file)))
                    .as(file).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
        assertThat(Files.getPosixFilePermissions(settings.pkiDir())).hasSize(3);   // rwx------
        assertThat(Files.readString(settings.pkiDir().resolve(ClientCertificate.PASSWORD)))
                .isNotEqualTo(Files.readString(dataDir.resolve("other/pki").resolve(ClientCertificate.PASSWORD)));
        assertThat(elsewhere.thumbprint()).isNotEqualTo(first.thumbprint());
    }

    // ------------------------------------------------------------------ helpers

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

    private GatewaySettings settings(SimulatedGateway gateway, SecurityPolicy policy, MessageSecurityMode mode, boolean anonymous) {
        return new GatewaySettings(gateway.opcUaEndpoint(), anonymous ? "" : USER, Secret.of(anonymous ? "" : PASSWORD), policy, mode,
                SimulatedGateway.TAG_NAMESPACE_URI, "secure-node", dataDir, false);
    }

    /** What an operator does once: the gateway's certificate into pki/trusted, the node's certificate trusted on the gateway. */
    private static void trustEachOther(SimulatedGateway gateway, GatewaySettings settings) throws Exception {
        ClientCertificate client = ClientCertificate.loadOrCreate(settings.pkiDir(),
                "urn:plantbridge:ignition-maintainx-bridge:" + settings.nodeName(), "node");
        if (gateway.certificate() != null) {
            Files.createDirectories(settings.pkiDir().resolve("trusted"));
            Files.write(settings.pkiDir().resolve("trusted/gateway.der"), gateway.certificate().getEncoded());
        }
        try {
            gateway.trustClientCertificate(client.certificate());
        } catch (IllegalStateException trustsEveryone) {
            // a gateway without a client trust list
        }
    }
}
