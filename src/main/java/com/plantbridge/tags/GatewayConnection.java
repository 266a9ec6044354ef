package com.plantbridge.tags;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.component.milo.client.MiloClientConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The one OPC UA client of this node towards its own gateway. Milo keeps a session alive and
 * reconnects once it has connected; this class covers what Milo does not: discovering the endpoint
 * until the gateway first answers, and telling subscriptions when a session becomes usable again.
 */
public final class GatewayConnection extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);
    private static final long FIRST_RETRY_MS = 1_000;
    private static final long MAX_RETRY_MS = 10_000;

    private final GatewaySettings settings;
    private final List<Consumer<OpcUaClient>> sessionListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService executor;
    private volatile OpcUaClient client;
    private volatile boolean sessionActive;
    private volatile boolean everConnected;

    public GatewayConnection(GatewaySettings settings) {
        this.settings = settings;
    }

    public GatewaySettings settings() {
        return settings;
    }

    /** Single thread on which all (re)subscription work for this gateway runs, in order. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    public boolean isSessionActive() {
        return sessionActive;
    }

    public Optional<OpcUaClient> client() {
        return sessionActive ? Optional.ofNullable(client) : Optional.empty();
    }

    /**
     * Calls the listener on this connection's executor each time a session becomes active, and at
     * once when one already is. Subscriptions use it to (re)create what the server lost.
     */
    public void onSessionActive(Consumer<OpcUaClient> listener) {
        sessionListeners.add(listener);
        OpcUaClient current = client;
        if (sessionActive && current != null) {
            executor.execute(() -> listener.accept(current));
        }
    }

    public void removeSessionListener(Consumer<OpcUaClient> listener) {
        sessionListeners.remove(listener);
    }

    /** Index of the tag namespace in the server's namespace table; read fresh because a restarted server may reorder it. */
    public UShort tagNamespaceIndex(OpcUaClient opcUaClient) throws UaException {
        UShort index = opcUaClient.readNamespaceTable().getIndex(settings.tagNamespace());
        if (index == null) {
            throw new UaException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_NodeIdUnknown,
                    "ignition.opcua.tag-namespace: the server at " + settings.endpoint() + " has no namespace " + settings.tagNamespace());
        }
        return index;
    }

    @Override
    protected void doStart() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opcua-" + settings.endpoint());
            t.setDaemon(true);
            return t;
        });
        executor.execute(() -> connect(FIRST_RETRY_MS));
    }

    @Override
    protected void doStop() throws Exception {
        OpcUaClient current = client;
        client = null;
        sessionActive = false;
        if (current != null) {
            try {
                current.disconnectAsync().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Disconnect from {} did not complete cleanly", settings.endpoint(), e);
            }
        }
        executor.shutdownNow();
    }

    private void connect(long retryMs) {
        if (!isRunAllowed()) {
            return;
        }
        try {
            OpcUaClient created = createClient();
            created.addSessionActivityListener(new SessionLogger());
            client = created;
            created.connectAsync().whenComplete((c, error) -> {
                if (error != null) {
                    LOG.debug("First session to {} not yet open; Milo keeps trying", settings.endpoint(), error);
                }
            });
        } catch (Exception e) {
            long next = Math.min(retryMs * 2, MAX_RETRY_MS);
            if (retryMs == FIRST_RETRY_MS) {
                LOG.warn("OPC UA server {} not reachable ({}); retrying every {} s at most", settings.endpoint(), rootMessage(e), MAX_RETRY_MS / 1000);
            }
            executor.schedule(() -> connect(next), retryMs, TimeUnit.MILLISECONDS);
        }
    }

    private OpcUaClient createClient() throws Exception {
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(settings.endpoint()).get(10, TimeUnit.SECONDS);
        EndpointDescription endpoint = selectEndpoint(endpoints);

        MiloClientConfiguration base = new MiloClientConfiguration();
        base.setApplicationName("Ignition MaintainX bridge (" + settings.nodeName() + ")");
        base.setApplicationUri("urn:plantbridge:ignition-maintainx-bridge:" + settings.nodeName());
        base.setProductUri("urn:plantbridge:ignition-maintainx-bridge");
        base.setRequestTimeout(10_000L);
        var builder = base.newBuilder()
                .setEndpoint(endpoint)
                .setKeepAliveInterval(uint(2_000))
                .setIdentityProvider(settings.anonymous()
                        ? AnonymousProvider.INSTANCE
                        : new UsernameProvider(settings.username(), settings.password().reveal()));
        if (!SecurityPolicy.None.getUri().equals(endpoint.getSecurityPolicyUri())) {
            ClientCertificate certificate = ClientCertificate.loadOrCreate(settings.dataDir(), base.getApplicationUri(), settings.nodeName());
            builder.setKeyPair(certificate.keyPair())
                    .setCertificate(certificate.certificate())
                    // The gateway's own certificate is accepted as presented; see README (security).
                    .setCertificateValidator(new CertificateValidator.InsecureCertificateValidator());
        }
        return OpcUaClient.create(builder.build());
    }

    private EndpointDescription selectEndpoint(List<EndpointDescription> endpoints) throws UaException {
        String policyUri = "None".equals(settings.securityPolicy()) ? SecurityPolicy.None.getUri() : SecurityPolicy.Basic256Sha256.getUri();
        EndpointDescription chosen = endpoints.stream()
                .filter(e -> policyUri.equals(e.getSecurityPolicyUri()))
                .filter(e -> "None".equals(settings.securityPolicy()) || e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                .findFirst()
                .orElseThrow(() -> new UaException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_SecurityPolicyRejected,
                        "ignition.opcua.security-policy: the server at " + settings.endpoint() + " offers no " + settings.securityPolicy() + " endpoint"));
        // A gateway advertises its own host name, which this machine may not resolve; keep the configured host.
        URI configured = URI.create(settings.endpoint());
        return EndpointUtil.updateUrl(chosen, configured.getHost(), configured.getPort());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** One log line when the session is lost and one when it is back, whatever Milo retries in between. */
    private final class SessionLogger implements SessionActivityListener {
        @Override
        public void onSessionActive(UaSession session) {
            sessionActive = true;
            if (everConnected) {
                LOG.info("OPC UA session to {} recovered", settings.endpoint());
            } else {
                LOG.info("OPC UA session to {} open", settings.endpoint());
                everConnected = true;
            }
            OpcUaClient current = client;
            for (Consumer<OpcUaClient> listener : sessionListeners) {
                executor.execute(() -> listener.accept(current));
            }
        }

        @Override
        public void onSessionInactive(UaSession session) {
            sessionActive = false;
            if (isRunAllowed()) {
                LOG.warn("OPC UA session to {} lost; reconnecting", settings.endpoint());
            }
        }
    }
}
