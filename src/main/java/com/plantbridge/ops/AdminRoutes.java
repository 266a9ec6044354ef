package com.plantbridge.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.tags.IgnitionTagsComponent;

/**
 * The admin API on bridge.admin.port (Camel's platform-http server). Its paths are a contract with
 * users and with the peer node, so they live in Java rather than in editable YAML. Each one is
 * declared in {@link AdminApi} (read or admin call); {@link AdminAuthorization} runs before them.
 */
public final class AdminRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private final StatusReport status;
    private final TagLists tagLists;
    private final MaintainxSenders senders;
    private final ModuleSwitch moduleSwitch;
    private final ActiveSettings settings;
    private final IgnitionTagsComponent tags;

    public AdminRoutes(StatusReport status, TagLists tagLists, MaintainxSenders senders, ModuleSwitch moduleSwitch, ActiveSettings settings,
                       IgnitionTagsComponent tags) {
        this.status = status;
        this.tagLists = tagLists;
        this.senders = senders;
        this.moduleSwitch = moduleSwitch;
        this.settings = settings;
        this.tags = tags;
    }

    /** Every error answer of the admin API. */
    public record ApiError(String error) {
    }

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

        // The status page for people: the same data as /api/status, as HTML that refreshes itself.
        from("platform-http:/?httpMethodRestrict=GET").routeId("admin-status-page")
                .process(e -> e.getMessage().setBody(StatusPage.render(status.build())))
                .setHeader(Exchange.CONTENT_TYPE, constant("text/html; charset=utf-8"));

        from("platform-http:/api/status?httpMethodRestrict=GET").routeId("admin-status")
                .process(e -> e.getMessage().setBody(status.build()))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        // A read: one page of a connector's per-tag list (status shows each list's count and first entries).
        from("platform-http:/api/status/tags?httpMethodRestrict=GET").routeId("admin-status-tags")
                .process(e -> e.getMessage().setBody(tagLists.page(requiredConnector(e), requiredText(e, "list"),
                        number(e, "offset", 0), number(e, "limit", TagLists.DEFAULT_PAGE))))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/api/quarantine?httpMethodRestrict=GET").routeId("admin-quarantine")
                .process(e -> e.getMessage().setBody(status.quarantine(requiredConnector(e), 1000)))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/api/quarantine/replay?httpMethodRestrict=POST").routeId("admin-quarantine-replay")
                .process(e -> {
                    String connector = requiredConnector(e);
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("connector", connector);
                    answer.put("replayed", senders.replayQuarantine(connector));
                    e.getMessage().setBody(answer);
                })
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        // Only the leading node subscribes, so only it scans; a standby node says so (409).
        from("platform-http:/api/rescan?httpMethodRestrict=POST").routeId("admin-rescan")
                .process(e -> {
                    String connector = requiredConnector(e);
                    if (tags.consumer(connector).isEmpty()) {
                        error(e, 409, "connector " + connector + " does not run on this node (not the leader, or disabled); the leading node scans its folders");
                        return;
                    }
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("connector", connector);
                    if (tags.rescan(connector, "asked through the admin API")) {
                        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
                        answer.put("rescan", "started");
                    } else {
                        answer.put("rescan", "nothing to scan: the connector has no folders and all its tags have a meter-id");
                    }
                    e.getMessage().setBody(answer);
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

    private static void error(Exchange exchange, int status, String message) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(new ApiError(message));
    }

    private static String requiredText(Exchange exchange, String parameter) {
        String value = exchange.getMessage().getHeader(parameter, String.class);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("query parameter " + parameter + " is required");
        }
        return value;
    }

    private static int number(Exchange exchange, String parameter, int otherwise) {
        String value = exchange.getMessage().getHeader(parameter, String.class);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter " + parameter + " must be a whole number, got " + value);
        }
    }

    private String requiredConnector(Exchange exchange) {
        String connector = exchange.getMessage().getHeader("connector", String.class);
        if (connector == null || settings.current().connector(connector).isEmpty()) {
            // No file path in the answer: reads are open, and a path tells an outsider where the node is installed.
            throw new IllegalArgumentException("query parameter connector must name a connector of this node's settings");
        }
        return connector;
    }
}
