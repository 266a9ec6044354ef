package com.plantbridge.ops;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

import com.plantbridge.mirror.PairLink;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.peer.PeerKeys;
import com.plantbridge.peer.PeerLink;
import com.plantbridge.tls.NodeCertificate;

/**
 * The {@code security} section of GET /api/status: how each port is served (HTTPS or plain HTTP,
 * on which interface), as read from Camel's running servers rather than from the settings; the
 * node's certificate; how the peer's certificate is checked and how many were refused; the calls
 * the admin port refused per reason; and a warning for every secret that would cross the network in
 * clear and for a certificate about to expire.
 */
public final class SecurityStatus {

    private final CamelContext context;
    private final AdminAuthorization admin;
    private final PairLink pair;
    private final NodeProperties properties;

    public SecurityStatus(CamelContext context, AdminAuthorization admin, PairLink pair, NodeProperties properties) {
        this.context = context;
        this.admin = admin;
        this.pair = pair;
        this.properties = properties;
    }

    public Map<String, Object> build() {
        Map<String, Object> s = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        MainHttpServer adminServer = context.hasService(MainHttpServer.class);
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        Transport adminPort = adminServer == null ? null
                : new Transport(adminServer.getHost(), adminServer.getPort(), tls(adminServer.isUseGlobalSslContextParameters(), adminServer.getSslContextParameters()));
        Transport managementPort = management == null ? null
                : new Transport(management.getHost(), management.getPort(), tls(management.isUseGlobalSslContextParameters(), management.getSslContextParameters()));
        s.put("adminApi", adminPort == null ? null : adminPort.status());
        s.put("managementPort", managementPort == null ? null : managementPort.status());
        if (adminPort != null && admin.isTokenConfigured()) {
            adminPort.warnIfClear(AdminAuthorization.TOKEN_KEY + " is set but the admin API", "the token", warnings);
        }
        if (managementPort != null && properties.optional(ManagementUsers.PASSWORD_KEY).isPresent()) {
            managementPort.warnIfClear(ManagementUsers.PASSWORD_KEY + " is set but the management port", "Jolokia's password", warnings);
        }
        NodeCertificate certificate = context.getRegistry().findSingleByType(NodeCertificate.class);
        s.put("certificate", certificate == null ? null : certificate.status());
        if (certificate != null) {
            certificate.expiryProblem(Instant.now()).ifPresent(warnings::add);
        }
        s.put("peerLink", pair.peerLink().map(link -> peerLink(link, warnings)).orElse(null));
        s.put("refusedCalls", admin.refusals().status());
        s.put("warnings", warnings);
        return s;
    }

    private static Map<String, Object> peerLink(PeerLink link, List<String> warnings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("url", link.peerUrl());
        p.put("transport", link.trust().isPresent() ? "HTTPS" : "plain HTTP");
        link.trust().ifPresentOrElse(trust -> p.putAll(trust.status()), () -> {
            if (!isLoopback(URI.create(link.peerUrl()).getHost())) {
                warnings.add(PeerKeys.SECRET_KEY + " is set but the peer link (" + link.peerUrl() + ") is plain HTTP: the nodes' views cross the"
                        + " network in clear (signed; mirrored settings stay encrypted); see docs/security.md");
            }
        });
        return p;
    }

    /** True for a host name or address that only this machine reaches. */
    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]"));
    }

    private boolean tls(boolean useGlobal, Object ownParameters) {
        return ownParameters != null || (useGlobal && context.getSSLContextParameters() != null);
    }

    /** How one port is served. */
    record Transport(String host, int port, boolean tls) {

        Map<String, Object> status() {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("transport", tls ? "HTTPS" : "plain HTTP");
            t.put("host", host);
            t.put("port", port);
            t.put("note", tls ? null : isLoopback(host) ? "plain HTTP on loopback only" : "plain HTTP on " + (host.equals("0.0.0.0") ? "every interface" : host));
            return t;
        }

        void warnIfClear(String what, String secret, List<String> warnings) {
            if (!tls && !isLoopback(host)) {
                warnings.add(what + " is plain HTTP on " + host + ":" + port + ": " + secret + " crosses the network in clear;"
                        + " configure bridge.tls.key-store (docs/security.md)");
            }
        }
    }
}
