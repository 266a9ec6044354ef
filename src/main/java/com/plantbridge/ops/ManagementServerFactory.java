package com.plantbridge.ops;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.Secret;

/**
 * Camel's management server with its own basic authentication, its users file generated from the
 * node's settings ({@link ManagementUsers}). camel-main reads camel.management.basic-properties-file
 * as given, relative to the process's working directory; the node's data dir is relative to its home,
 * so the file's path is set here, where the data dir is known. camel-main 4.17 makes the management
 * server before it reads the configuration classes, so this factory is bound by BridgeApplication
 * itself and reads the settings from the context when the server is made.
 */
public final class ManagementServerFactory extends DefaultMainHttpServerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServerFactory.class);

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
        return super.newHttpManagementServer(camelContext, configuration);
    }
}
