package com.plantbridge.sim.gateway;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;

/**
 * The gateway's list of trusted client certificates, as Ignition keeps it (Config > OPC UA > Security):
 * an unknown client is refused on the secure channel and kept as quarantined until someone trusts it.
 */
public final class ClientTrust implements CertificateValidator {

  private final Set<X509Certificate> trusted = ConcurrentHashMap.newKeySet();
  private final List<X509Certificate> quarantined = new CopyOnWriteArrayList<>();

  public void trust(X509Certificate certificate) {
    trusted.add(certificate);
    quarantined.remove(certificate);
  }

  public List<X509Certificate> quarantined() {
    return List.copyOf(quarantined);
  }

  @Override
  public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String[] validHostNames)
      throws UaException {
    X509Certificate client = chain.get(0);
    if (!trusted.contains(client)) {
      if (!quarantined.contains(client)) {
        quarantined.add(client);
      }
      throw new UaException(StatusCodes.Bad_SecurityChecksFailed, "client certificate not trusted: "
          + client.getSubjectX500Principal().getName());
    }
  }
}
