package com.plantbridge.ops;

import java.util.List;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * camel-platform-http-vertx 4.17 finds its server's port with findSingleByType; with Camel's
 * management server also running there are two servers, the lookup gives up and every
 * platform-http route binds to the router of port 8080, so the admin API only starts when
 * bridge.admin.port happens to be 8080. Naming the port here makes the admin routes find their
 * server whatever the port (proved by every TestNode, which runs on a free port). The engine also
 * puts {@link AdminAuthorization} in front of every admin route.
 */
public final class AdminHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public AdminHttpEngine(int port, AdminAuthorization authorization) {
        this.port = port;
        setHandlers(List.of(authorization));
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
