package com.plantbridge.tags;

import org.apache.camel.component.milo.client.MiloClientConfiguration;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

import java.security.Security;
import java.security.cert.X509Certificate;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * A Milo client for one endpoint, built from camel-milo's client configuration. Milo 1.0.8 opens no
 * secure channel with only a certificate set ("no certificate chain configured"): the chain is set too.
 * Aes256_Sha256_RsaPss signs with "SHA256withRSA/PSS", which only Bouncy Castle (a Milo dependency)
 * provides: without it the channel failed with NoSuchAlgorithmException.
 */
final class ClientFactory {

    private ClientFactory() {
    }

    /** Adds Bouncy Castle after the JDK's providers (used only for what the JDK lacks) when the policy needs it. */
    static void ensureAlgorithms(SecurityPolicy policy) {
        if (policy == SecurityPolicy.Aes256_Sha256_RsaPss && Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    static OpcUaClient create(GatewaySettings settings, EndpointDescription endpoint, ClientCertificate certificate,
                              GatewayTrust trust) throws UaException {
        MiloClientConfiguration base = new MiloClientConfiguration();
        base.setApplicationName("Ignition MaintainX bridge (" + settings.nodeName() + ")");
        // The certificate names the application; a server checks that the two agree.
        base.setApplicationUri(certificate.applicationUri());
        base.setProductUri("urn:plantbridge:ignition-maintainx-bridge");
        base.setRequestTimeout(10_000L);
        var builder = base.newBuilder()
                .setEndpoint(endpoint)
                .setKeepAliveInterval(uint(2_000))
                .setIdentityProvider(settings.anonymous()
                        ? AnonymousProvider.INSTANCE
                        : new UsernameProvider(settings.username(), settings.password().reveal()))
                .setKeyPair(certificate.keyPair())
                .setCertificate(certificate.certificate())
                .setCertificateChain(new X509Certificate[] {certificate.certificate()})
                .setCertificateValidator(trust);
        return OpcUaClient.create(builder.build());
    }
}
