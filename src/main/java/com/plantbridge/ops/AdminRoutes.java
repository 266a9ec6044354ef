package com.plantbridge.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.settings.ActiveSettings;

/**
 * The admin API on bridge.admin.port (Camel's platform-http server). Its paths are a contract with
 * users and with the peer node, so they live in Java rather than in editable YAML. Every call that
 * is not a GET needs the admin token: {@link AdminAuthorization} runs before these routes.
 */
public final class AdminRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    @Override
    public void configure() {
        onException(IllegalArgumentException.class).handled(true)
                .process(e -> error(e, 400, e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                .marshal().json();
        // Never an exception's text or stack trace in an answer: it could carry a value from a settings file.
        onException(Exception.class).handled(true)
                .process(e -> {
                    LOG.error("Admin API {} failed", e.getFromRouteId(), e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
                    error(e, 500, "internal error; see the node's log");
                })
                .marshal().json();

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
                    int count = e.getContext().getRegistry().findSingleByType(MaintainxSenders.class).sender(connector).replayQuarantine();
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("connector", connector);
                    answer.put("replayed", count);
                    e.getMessage().setBody(answer);
                })
                .marshal().json()
                .setHeader("Content-Type", constant("application/json"));

        from("platform-http:/api/module/enable?httpMethodRestrict=POST").routeId("admin-enable")
                .process(e -> e.getContext().getRegistry().findSingleByType(ModuleSwitch.class).set(true, "admin API"))
                .setBody(constant(Map.of("enabled", true)))
                .marshal().json()
                .setHeader("Content-Type", constant("application/json"));

        from("platform-http:/api/module/disable?httpMethodRestrict=POST").routeId("admin-disable")
                .process(e -> e.getContext().getRegistry().findSingleByType(ModuleSwitch.class).set(false, "admin API"))
                .setBody(constant(Map.of("enabled", false)))
                .marshal().json()
                .setHeader("Content-Type", constant("application/json"));
    }

    private static void error(Exchange exchange, int status, String message) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Map.of("error", message));
    }

    private static String requiredConnector(Exchange exchange) {
        String connector = exchange.getMessage().getHeader("connector", String.class);
        ActiveSettings settings = exchange.getContext().getRegistry().findSingleByType(ActiveSettings.class);
        if (connector == null || settings.current().connector(connector).isEmpty()) {
            throw new IllegalArgumentException("query parameter connector must name a connector of " + settings.file());
        }
        return connector;
    }
}
