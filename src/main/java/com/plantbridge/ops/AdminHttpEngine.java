package com.plantbridge.ops;

import java.util.List;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * camel-platform-http-vertx 4.17 finds its server's port with findSingleByType; with Camel's
 * management server also running there are two servers, the lookup gives up and every
 * platform-http route binds to the router of port 8080, so the admin API only starts when
 * bridge.admin.port happens to be 8080. Naming the port here makes the admin routes find their
 * server whatever the port (proved by every TestNode, which runs on a free port).
 * <p>
 * The engine also starts only routes declared in {@link AdminApi}, puts {@link AdminAuthorization}
 * in front of the admin router before its first route, and gives the routes the authorization's
 * body reader (each route's own limit) through a router of its own, in the place of Camel's body
 * handler: that one resumes the request before it looks whether a body was read already, which
 * throws on an HTTP/2 request whose body another handler read (measured: "Request has already been
 * read", a 500 for every peer call from Java's HTTP client).
 */
public final class AdminHttpEngine extends VertxPlatformHttpEngine {

    private final int port;
    private final AdminAuthorization authorization;

    public AdminHttpEngine(int port, AdminAuthorization authorization) {
        this.port = port;
        this.authorization = authorization;
        setHandlers(List.of(authorization.dispatchCheck()));
    }

    @Override
    public int getServerPort() {
        return port;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        AdminApi.requireDeclared(endpoint.getPath(), endpoint.getHttpMethodRestrict(), endpoint.isMatchOnUriPrefix());
        String adminRouter = "bridge-admin-" + VertxPlatformHttpRouter.getRouterNameFromPort(port);
        return new VertxPlatformHttpConsumer(endpoint, processor, getHandlers(), adminRouter) {
            @Override
            protected void doInit() throws Exception {
                adminRouter(getEndpoint().getCamelContext(), adminRouter);
                super.doInit();
            }
        };
    }

    /** The server's router with the authorization in front and the authorization's body reader, bound once under its own name. */
    private synchronized void adminRouter(CamelContext context, String name) {
        if (VertxPlatformHttpRouter.lookup(context, name) != null) {
            return;
        }
        VertxPlatformHttpRouter server = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (server == null) {
            throw new IllegalStateException("no admin HTTP server on port " + port + " to put the authorization in front of");
        }
        authorization.installOn(server);
        Handler<RoutingContext> bodyReader = authorization.bodyReader();
        context.getRegistry().bind(name, new VertxPlatformHttpRouter(server.getServer(), server.vertx(), server, name) {
            @Override
            public Handler<RoutingContext> bodyHandler() {
                return bodyReader;
            }
        });
    }
}
