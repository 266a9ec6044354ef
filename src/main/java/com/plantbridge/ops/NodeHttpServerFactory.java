package com.plantbridge.ops;

import java.nio.file.Path;
import java.time.Instant;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.FileModes;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.settings.Secret;
import com.plantbridge.tls.NodeCertificate;

/**
 * Camel's two HTTP servers as the node needs them. Both serve HTTPS only when the node has a
 * certificate ({@link NodeCertificate}, bridge.tls.*): it becomes the context's global
 * SSLContextParameters, and both servers use them (camel.server/management.use-global-ssl-context-parameters),
 * as camel.ssl.* would make them, but from the node's home and from PEM too. The management server
 * has its own basic authentication, its users file generated from the node's settings
 * ({@link ManagementUsers}): camel-main reads camel.management.basic-properties-file as given,
 * relative to the process's working directory; the node's data dir is relative to its home, so the
 * file's path is set here, where the data dir is known. camel-main 4.17 makes both servers before it
 * reads the configuration classes, so this factory is bound by BridgeApplication itself and reads
 * the settings from the context when a server is made.
 */
public final class NodeHttpServerFactory extends DefaultMainHttpServerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHttpServerFactory.class);

    private NodeCertificate certificate;
    private boolean certificateLoaded;

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
        boolean tls = useNodeCertificate(camelContext);
        configuration.setUseGlobalSslContextParameters(tls);
        announce("Admin API (status page, peer link)", configuration.getHost(), configuration.getPort(), tls,
                AdminAuthorization.TOKEN_KEY, new NodeProperties(camelContext));
        return super.newHttpServer(camelContext, configuration);
    }

    @Override
    public Service newHttpManagementServer(CamelContext camelContext, HttpManagementServerConfigurationProperties configuration) {
        if (configuration.isAuthenticationEnabled()) {
            NodeProperties properties = new NodeProperties(camelContext);
            Path dataDir = properties.path("bridge.data-dir");
            FileModes.ownerOnlyDirectory(dataDir);
            String user = properties.text(ManagementUsers.USER_KEY);
            Secret password = Secret.of(properties.textOrEmpty(ManagementUsers.PASSWORD_KEY));
            Path users = ManagementUsers.write(dataDir, user, password);
            configuration.setBasicPropertiesFile(users.toString());
            if (password.isEmpty()) {
                LOG.warn("Management server: {} is empty, so {} refuses every request (401); set it to open the node in Hawtio",
                        ManagementUsers.PASSWORD_KEY, configuration.getAuthenticationPath());
            } else {
                LOG.info("Management server: {} needs user {} and its password (basic authentication)", configuration.getAuthenticationPath(), user);
            }
        }
        boolean tls = useNodeCertificate(camelContext);
        configuration.setUseGlobalSslContextParameters(tls);
        announce("Management server (health, metrics, Jolokia)", configuration.getHost(), configuration.getPort(), tls,
                ManagementUsers.PASSWORD_KEY, new NodeProperties(camelContext));
        return super.newHttpManagementServer(camelContext, configuration);
    }

    /** Loads the node's certificate once and makes it the context's global SSL parameters; false without one. */
    private synchronized boolean useNodeCertificate(CamelContext context) {
        if (!certificateLoaded) {
            NodeProperties properties = new NodeProperties(context);
            certificate = NodeCertificate.load(properties).orElse(null);
            certificateLoaded = true;
            if (certificate != null) {
                if (properties.optional("camel.ssl.enabled").map(Boolean::parseBoolean).orElse(false)) {
                    throw new IllegalArgumentException("camel.ssl.enabled: the node's TLS is set with bridge.tls.* (docs/security.md); leave camel.ssl.* out");
                }
                context.setSSLContextParameters(certificate.sslContextParameters(context));
                context.getRegistry().bind("nodeCertificate", certificate);
                certificate.expiryProblem(Instant.now()).ifPresent(problem -> LOG.warn("TLS: {}", problem));
            }
        }
        return certificate != null;
    }

    private void announce(String server, String host, int port, boolean tls, String secretKey, NodeProperties properties) {
        if (tls) {
            LOG.info("{}: HTTPS only, on {}:{}, certificate {}", server, host, port, certificate);
        } else if (properties.optional(secretKey).isPresent() && !SecurityStatus.isLoopback(host)) {
            LOG.warn("{}: plain HTTP on {}:{} while {} is set: it crosses the network in clear; set bridge.tls.key-store (docs/security.md)",
                    server, host, port, secretKey);
        } else {
            LOG.info("{}: plain HTTP on {}:{}", server, host, port);
        }
    }
}
