package com.plantbridge.tags;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Service;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.service.ServiceSupport;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.redundancy.GatewaySession;
import com.plantbridge.redundancy.RedundancyMonitor;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The one OPC UA client of this node towards its own gateway.
 *
 * <p>Milo 1.0.8 reconnects by itself, but its channel and session back off up to 16 s each while the
 * server is down: after about 9 s down the session came back about 7 s after the server listened
 * again (measured), and a failback lost the changes of those seconds. So while the session is down
 * this class asks the server for its endpoints every {@value #RETRY_MS} ms (and at once on
 * {@link #reconnectNow()}), and as soon as the server answers it replaces Milo's client with a new
 * one, which connects without backoff. Subscriptions learn of the new session through
 * {@link #onSessionActive} and create themselves again.
 *
 * <p>Before a client is made, the server's certificate is checked by {@link GatewayTrust} and a
 * problem that needs a person (an untrusted certificate either way, a refused user, no endpoint
 * with the configured security) is logged once, with what to do, and retried every
 * {@value #NEEDS_A_PERSON_RETRY_MS} ms; other failures are logged once per outage.
 */
public final class GatewayConnection extends ServiceSupport implements CamelContextAware, GatewaySession {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);
    static final long RETRY_MS = 200;
    static final long NEEDS_A_PERSON_RETRY_MS = 3_000;
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final GatewaySettings settings;
    private final List<Consumer<OpcUaClient>> sessionListeners = new CopyOnWriteArrayList<>();
    private CamelContext camelContext;
    private ScheduledExecutorService executor;
    private GatewayTrust trust;
    private ClientCertificate certificate;
    private volatile OpcUaClient client;
    private volatile boolean sessionActive;
    private volatile Instant downSince = Instant.now();
    private volatile String problem = "not connected yet";
    private volatile List<String> certificateNotes = List.of();
    private volatile boolean everConnected;
    private final java.util.concurrent.atomic.AtomicLong recoveries = new java.util.concurrent.atomic.AtomicLong();
    // Confined to the executor thread:
    private boolean connecting;
    private ScheduledFuture<?> nextAttempt;
    private String reportedProblem;
    private final Set<String> reportedNotes = new HashSet<>();

    public GatewayConnection(GatewaySettings settings) {
        this.settings = settings;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public GatewaySettings settings() {
        return settings;
    }

    /** Single thread on which all (re)subscription work for this gateway runs, in order. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    @Override
    public boolean isSessionActive() {
        return sessionActive;
    }

    /** Since when there is no session (empty while there is one). */
    public Optional<Instant> sessionDownSince() {
        return sessionActive ? Optional.empty() : Optional.ofNullable(downSince);
    }

    /** Why there is no session, for status; null while there is one. */
    public String problem() {
        return sessionActive ? null : problem;
    }

    /** What about the server's certificate does not match the settings (host name, application URI); empty when all does. */
    public List<String> certificateNotes() {
        return certificateNotes;
    }

    /** The node's own certificate: what the gateway has to trust. */
    public Optional<String> clientThumbprint() {
        return Optional.ofNullable(certificate).map(ClientCertificate::thumbprint);
    }

    /** Sessions that came back after being lost, since the node started (metrics). */
    public long sessionRecoveries() {
        return recoveries.get();
    }

    public Optional<OpcUaClient> client() {
        return sessionActive ? Optional.ofNullable(client) : Optional.empty();
    }

    /**
     * Calls the listener on this connection's executor each time a session becomes active, and at
     * once when one already is. The client may be a new one: subscriptions of an earlier client are gone.
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

    /**
     * Tries at once instead of at the next retry: the redundancy source has just seen the gateway
     * again, so its OPC UA server is probably back too.
     */
    @Override
    public String redundancyLocation() {
        return OpcUaRedundancyWatcher.ACTIVITY_LEVEL + " on " + settings.endpoint();
    }

    @Override
    public Service redundancyWatcher(RedundancyMonitor monitor, long pollMillis) {
        return new OpcUaRedundancyWatcher(this, monitor, pollMillis);
    }

    @Override
    public void reconnectNow() {
        ScheduledExecutorService current = executor;
        if (current != null && !current.isShutdown() && !sessionActive) {
            try {
                current.execute(() -> {
                    if (nextAttempt != null) {
                        nextAttempt.cancel(false);
                    }
                    attempt();
                });
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** Index of the tag namespace in the server's namespace table; read fresh because a restarted server may reorder it. */
    public UShort tagNamespaceIndex(OpcUaClient opcUaClient) throws UaException {
        UShort index = opcUaClient.readNamespaceTable().getIndex(settings.tagNamespace());
        if (index == null) {
            throw new UaException(StatusCodes.Bad_NodeIdUnknown,
                    "ignition.opcua.tag-namespace: the server at " + settings.endpoint() + " has no namespace " + settings.tagNamespace());
        }
        return index;
    }

    @Override
    protected void doStart() throws Exception {
        if (camelContext == null) {
            throw new IllegalStateException("GatewayConnection needs a CamelContext (add it with context.addService)");
        }
        certificate = ClientCertificate.loadOrCreate(settings.pkiDir(),
                "urn:plantbridge:ignition-maintainx-bridge:" + settings.nodeName(), "Ignition MaintainX bridge " + settings.nodeName());
        LOG.info("OPC UA client certificate SHA-1 thumbprint {} (application URI {}, {}): the gateway must trust it for a secure policy",
                certificate.thumbprint(), certificate.applicationUri(), settings.pkiDir().resolve(ClientCertificate.PUBLIC));
        if (!settings.anonymous() && !settings.secure()) {
            LOG.warn("ignition.opcua.security-policy is None with a username: the messages of the session are not signed or encrypted;"
                    + " set Basic256Sha256 or stronger");
        }
        trust = new GatewayTrust(settings.pkiDir(), settings.trustOnFirstUse());
        ClientFactory.ensureAlgorithms(settings.securityPolicy());
        // One thread for the connection and every tag's timers (minimum-interval windows, values released after a
        // settlement): the queue holds a task per tag, so Camel's default bound of 1,000 waiting tasks is too small for
        // one 6,000-tag connector, and a refused task was a lost value.
        ThreadPoolProfile oneThreadPerGateway = new ThreadPoolProfileBuilder("opcua-gateway").poolSize(1).maxPoolSize(1)
                .maxQueueSize(Integer.MAX_VALUE).build();
        executor = camelContext.getExecutorServiceManager().newScheduledThreadPool(this, "opcua-" + settings.host() + ":" + settings.port(),
                oneThreadPerGateway);
        downSince = Instant.now();
        executor.execute(this::attempt);
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
        if (executor != null) {
            camelContext.getExecutorServiceManager().shutdownNow(executor);
        }
    }

    // ------------------------------------------------------------------ on the executor thread

    private void attempt() {
        nextAttempt = null;
        if (!isRunAllowed() || sessionActive) {
            return;
        }
        if (connecting) {
            schedule(RETRY_MS); // an attempt is under way; look again after it
            return;
        }
        connecting = true;
        DiscoveryClient.getEndpoints(settings.endpoint(), transport -> transport.setConnectTimeout(uint(CONNECT_TIMEOUT_MS)))
                .orTimeout(CONNECT_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS)
                .whenComplete((endpoints, error) -> onExecutor(() -> onEndpoints(endpoints, error)));
    }

    private void onEndpoints(List<EndpointDescription> endpoints, Throwable error) {
        if (!isRunAllowed()) {
            connecting = false;
            return;
        }
        if (error != null) {
            retry(Problem.unreachable(settings, error));
            return;
        }
        if (sessionActive) {
            connecting = false; // Milo's own client came back first
            return;
        }
        EndpointDescription endpoint;
        OpcUaClient created;
        try {
            endpoint = EndpointChoice.choose(settings, endpoints);
            if (settings.secure() || !settings.anonymous()) {
                certificateNotes = trust.check(endpoint, settings.host());
                certificateNotes.forEach(note -> report("note:" + note, false,
                        "OPC UA server " + settings.endpoint() + " certificate: " + note + "; connecting anyway, the certificate itself is trusted"));
            }
            created = ClientFactory.create(settings, endpoint, certificate, trust);
        } catch (UaException | RuntimeException e) {
            // The server answers but must not be connected to: Milo's earlier client would keep trying it.
            dropClient();
            retry(Problem.of(settings, certificate, e));
            return;
        }
        OpcUaClient previous = client;
        client = created;           // events of the previous client are ignored from here on
        sessionActive = false;
        created.addSessionActivityListener(new SessionEvents(created));
        if (previous != null) {
            previous.disconnectAsync().whenComplete((c, e) -> LOG.debug("Previous client of {} disconnected", settings.endpoint(), e));
        }
        created.connectAsync()
                .orTimeout(CONNECT_TIMEOUT_MS * 5L, TimeUnit.MILLISECONDS)
                .whenComplete((c, e) -> onExecutor(() -> onConnected(created, e)));
    }

    private void onConnected(OpcUaClient created, Throwable error) {
        connecting = false;
        if (error == null || client != created) {
            return; // SessionEvents reports the active session
        }
        dropClient();
        retry(Problem.of(settings, certificate, error));
    }

    private void dropClient() {
        OpcUaClient previous = client;
        client = null;
        sessionActive = false;
        if (previous != null) {
            previous.disconnectAsync();
        }
    }

    private void retry(Problem failure) {
        connecting = false;
        problem = failure.message();
        report(failure.key(), failure.needsAPerson(), failure.message());
        LOG.debug("OPC UA connection attempt to {} failed", settings.endpoint(), failure.cause());
        schedule(failure.needsAPerson() ? NEEDS_A_PERSON_RETRY_MS : RETRY_MS);
    }

    /** Logs a problem once until a different one or a session comes (a certificate note once per run); a person's problem at ERROR. */
    private void report(String key, boolean error, String message) {
        if (key.startsWith("note:") ? !reportedNotes.add(key) : key.equals(reportedProblem)) {
            return;
        }
        if (!key.startsWith("note:")) {
            reportedProblem = key;
        }
        if (error) {
            LOG.error(message);
        } else {
            LOG.warn(message);
        }
    }

    private void schedule(long delayMs) {
        if (isRunAllowed() && !sessionActive) {
            try {
                nextAttempt = executor.schedule(this::attempt, delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void onExecutor(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // stopping: nothing more to do
        }
    }

    /** One log line when the session is lost and one when it is back, whatever is retried in between. */
    private final class SessionEvents implements SessionActivityListener {
        private final OpcUaClient owner;

        SessionEvents(OpcUaClient owner) {
            this.owner = owner;
        }

        @Override
        public void onSessionActive(UaSession session) {
            if (client != owner) {
                return;
            }
            Instant down = downSince;
            sessionActive = true;
            problem = null;
            onExecutor(() -> reportedProblem = null);
            if (everConnected) {
                recoveries.incrementAndGet();
                LOG.info("OPC UA session to {} recovered ({} down)", settings.endpoint(),
                        down == null ? "?" : Duration.between(down, Instant.now()).toMillis() + " ms");
            } else {
                LOG.info("OPC UA session to {} open ({}, {})", settings.endpoint(), settings.security(),
                        settings.anonymous() ? "anonymous" : "user " + settings.username());
                everConnected = true;
            }
            for (Consumer<OpcUaClient> listener : sessionListeners) {
                onExecutor(() -> listener.accept(owner));
            }
        }

        @Override
        public void onSessionInactive(UaSession session) {
            if (client != owner || !sessionActive) {
                return;
            }
            sessionActive = false;
            downSince = Instant.now();
            problem = "session lost; reconnecting";
            if (isRunAllowed()) {
                LOG.warn("OPC UA session to {} lost; reconnecting", settings.endpoint());
                onExecutor(() -> {
                    reportedProblem = Problem.UNREACHABLE; // the loss was logged; an outage is not logged again
                    schedule(RETRY_MS);
                });
            }
        }
    }
}
