package com.plantbridge.sim.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateStore;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's self-signed application certificate. Generated once per {@link SimulatedGateway} so an OPC UA
 * restart presents the same certificate, as a real gateway would, and clients that pinned it keep working.
 */
record ServerCertificate(KeyPair keyPair, X509Certificate certificate) {

  private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

  static ServerCertificate generate(String applicationUri, String commonName, Path pkiDir) {
    try {
      KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
          .setCommonName(commonName)
          .setOrganization("PlantBridge simulated Ignition gateway")
          .setApplicationUri(applicationUri)
          .addDnsName("localhost")
          .addIpAddress("127.0.0.1")
          .build();
      var generated = new ServerCertificate(keyPair, certificate);
      if (pkiDir != null) {
        generated.writeTo(pkiDir);
      }
      return generated;
    } catch (Exception e) {
      throw new IllegalStateException("could not generate server certificate", e);
    }
  }

  /**
   * @param clientTrust the gateway's trusted client certificates; null trusts every client certificate,
   *     so that tests about something else need no trust-list dance
   */
  CertificateManager certificateManager(ClientTrust clientTrust) {
    CertificateValidator trustAll = (chain, applicationUri, hostnames) ->
        LOG.debug("trusting client certificate {}", chain.get(0).getSubjectX500Principal());
    CertificateValidator validator = clientTrust == null ? trustAll : clientTrust;
    try {
      var store = new MemoryCertificateStore();
      store.set(NodeIds.RsaSha256ApplicationCertificateType,
          new CertificateStore.Entry(keyPair.getPrivate(), new X509Certificate[] {certificate}));
      var group = DefaultApplicationGroup.createAndInitialize(
          new MemoryTrustListManager(), store, new FixedCertificateFactory(), validator);
      return new DefaultCertificateManager(new MemoryCertificateQuarantine(), group);
    } catch (Exception e) {
      throw new IllegalStateException("could not set up certificate manager", e);
    }
  }

  private void writeTo(Path pkiDir) throws IOException, java.security.cert.CertificateEncodingException {
    Files.createDirectories(pkiDir);
    Files.write(pkiDir.resolve("server-cert.der"), certificate.getEncoded());
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    Files.writeString(pkiDir.resolve("server-cert.pem"), pem);
    LOG.info("server certificate written to {}", pkiDir);
  }

  /** Hands the SDK our pre-made key and certificate instead of letting it mint new ones. */
  private final class FixedCertificateFactory extends RsaSha256CertificateFactory {
    @Override
    protected KeyPair createRsaSha256KeyPair() {
      return keyPair;
    }

    @Override
    protected X509Certificate[] createRsaSha256CertificateChain(KeyPair ignored) {
      return new X509Certificate[] {certificate};
    }
  }
}
