package com.plantbridge.ops;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.settings.ActiveSettings;

/**
 * The admin API on bridge.admin.port (Camel's platform-http server). Its paths are a contract with
 * users and with the peer node, so they live in Java rather than in editable YAML.
 */
public final class AdminRoutes extends RouteBuilder {

    private final StatusReport status;
    private final MaintainxSenders senders;
    private final ModuleSwitch moduleSwitch;
    private final ActiveSettings settings;

    public AdminRoutes(StatusReport status, MaintainxSenders senders, ModuleSwitch moduleSwitch, ActiveSettings settings) {
        this.status = status;
        this.senders = senders;
        this.moduleSwitch = moduleSwitch;
        this.settings = settings;
    }

    /** Every error answer of the admin API. */
    public record ApiError(String error) {
    }

    @Override
    public void configure() {
        onException(IllegalArgumentException.class).handled(true)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
                .process(e -> e.getMessage().setBody(new ApiError(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage())))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/api/status?httpMethodRestrict=GET").routeId("admin-status")
                .process(e -> e.getMessage().setBody(status.build()))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/api/quarantine?httpMethodRestrict=GET").routeId("admin-quarantine")
                .process(e -> e.getMessage().setBody(status.quarantine(requiredConnector(e), 1000)))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/api/quarantine/replay?httpMethodRestrict=POST").routeId("admin-quarantine-replay")
                .process(e -> {
                    String connector = requiredConnector(e);
                    e.getMessage().setBody(Map.of("connector", connector, "replayed", senders.sender(connector).replayQuarantine()));
                })
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/api/module/enable?httpMethodRestrict=POST").routeId("admin-enable")
                .process(e -> {
                    moduleSwitch.set(true, "admin API");
                    e.getMessage().setBody(Map.of("enabled", true));
                })
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/api/module/disable?httpMethodRestrict=POST").routeId("admin-disable")
                .process(e -> {
                    moduleSwitch.set(false, "admin API");
                    e.getMessage().setBody(Map.of("enabled", false));
                })
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    private String requiredConnector(Exchange exchange) {
        String connector = exchange.getMessage().getHeader("connector", String.class);
        if (connector == null || settings.current().connector(connector).isEmpty()) {
            throw new IllegalArgumentException("query parameter connector must name a connector of " + settings.file());
        }
        return connector;
    }
}
