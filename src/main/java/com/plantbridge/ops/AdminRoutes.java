package com.plantbridge.ops;

import org.apache.camel.builder.RouteBuilder;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.settings.ActiveSettings;

/**
 * The admin API on bridge.admin.port (Camel's platform-http server). Its paths are a contract with
 * users and with the peer node (DESIGN.md §5b), so they live in Java rather than in editable YAML.
 */
public final class AdminRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(IllegalArgumentException.class).handled(true)
                .setHeader("CamelHttpResponseCode", constant(400))
                .setHeader("Content-Type", constant("application/json"))
                .setBody(simple("{\"error\":\"${exception.message}\"}"));

        from("platform-http:/api/status?httpMethodRestrict=GET").routeId("admin-status")
                .to("bean:statusReport?method=build")
                .marshal().json()
                .setHeader("Content-Type", constant("application/json"));

        from("platform-http:/api/quarantine?httpMethodRestrict=GET").routeId("admin-quarantine")
                .process(e -> {
                    String connector = requiredConnector(e);
                    e.getMessage().setBody(e.getContext().getRegistry().findSingleByType(StatusReport.class).quarantine(connector, 1000));
                })
                .marshal().json()
                .setHeader("Content-Type", constant("application/json"));

        from("platform-http:/api/quarantine/replay?httpMethodRestrict=POST").routeId("admin-quarantine-replay")
                .process(e -> {
                    String connector = requiredConnector(e);
                    int count = e.getContext().getRegistry().findSingleByType(MaintainxSenders.class).replayQuarantine(connector);
                    e.getMessage().setBody("{\"connector\":\"" + connector + "\",\"replayed\":" + count + "}");
                })
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

    private static String requiredConnector(org.apache.camel.Exchange exchange) {
        String connector = exchange.getMessage().getHeader("connector", String.class);
        ActiveSettings settings = exchange.getContext().getRegistry().findSingleByType(ActiveSettings.class);
        if (connector == null || settings.current().connector(connector).isEmpty()) {
            throw new IllegalArgumentException("query parameter connector must name a connector of " + settings.file());
        }
        return connector;
    }
}
