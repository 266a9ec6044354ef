package com.plantbridge.ops;

import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API on bridge.admin.port (Camel's platform-http server). Its paths are a contract with
 * users and with the peer node (DESIGN.md §5b), so they live in Java rather than in editable YAML.
 */
public final class AdminRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/api/status?httpMethodRestrict=GET").routeId("admin-status")
                .to("bean:statusReport?method=build")
                .marshal().json()
                .setHeader("Content-Type", constant("application/json"));

        from("platform-http:/api/module/enable?httpMethodRestrict=POST").routeId("admin-enable")
                .process(e -> e.getContext().getRegistry().findSingleByType(ModuleSwitch.class).set(true, "admin API"))
                .setBody(constant("{\"enabled\":true}"))
                .setHeader("Content-Type", constant("application/json"));

        from("platform-http:/api/module/disable?httpMethodRestrict=POST").routeId("admin-disable")
                .process(e -> e.getContext().getRegistry().findSingleByType(ModuleSwitch.class).set(false, "admin API"))
                .setBody(constant("{\"enabled\":false}"))
                .setHeader("Content-Type", constant("application/json"));
    }
}
