package com.plantbridge.tags;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.redundancy.RedundancyClusterService;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;

/**
 * One route per enabled connector, made from the user's YAML route template
 * {@value #TEMPLATE_ID} (routes/connector-readings.yaml), so that Hawtio shows a route per connector
 * and a user can add steps between the tags and MaintainX without a rebuild. Whether a route runs
 * is the template's route policy's business (leadership), not this class's; routes change only
 * between leadership changes ({@link RedundancyClusterService#changeRoutes}).
 */
public final class ConnectorRoutes {

    public static final String TEMPLATE_ID = "connector-readings";
    public static final String ROUTE_PREFIX = "readings-";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRoutes.class);

    private final CamelContext context;
    private final RedundancyClusterService cluster;

    public ConnectorRoutes(CamelContext context, RedundancyClusterService cluster) {
        this.context = context;
        this.cluster = cluster;
    }

    public static String routeId(String connector) {
        return ROUTE_PREFIX + connector;
    }

    /** Makes the connector routes match the settings; connectors named in {@code changed} get a new route. */
    public synchronized void apply(ModuleSettings settings, Set<String> changed) throws Exception {
        if (((ModelCamelContext) context).getRouteTemplateDefinition(TEMPLATE_ID) == null) {
            throw new IllegalStateException("No route template '" + TEMPLATE_ID + "' was loaded: routes/connector-readings.yaml is missing or does not define it");
        }
        cluster.changeRoutes(() -> change(settings, changed));
    }

    private void change(ModuleSettings settings, Set<String> changed) throws Exception {
        Set<String> wanted = settings.enabledConnectors().stream().map(c -> routeId(c.name())).collect(Collectors.toSet());
        for (Route route : context.getRoutes()) {
            if (!route.getRouteId().startsWith(ROUTE_PREFIX)) {
                continue; // a route of the user's own, beside the template
            }
            boolean stale = changed.contains(route.getRouteId().substring(ROUTE_PREFIX.length()));
            if (!wanted.contains(route.getRouteId()) || stale) {
                context.getRouteController().stopRoute(route.getRouteId());
                context.removeRoute(route.getRouteId());
                LOG.info("Route {} removed", route.getRouteId());
            }
        }
        for (ConnectorSettings connector : settings.enabledConnectors()) {
            String id = routeId(connector.name());
            if (context.getRoute(id) == null) {
                Map<String, Object> parameters = new HashMap<>();
                parameters.put("connector", connector.name());
                context.addRouteFromTemplate(id, TEMPLATE_ID, parameters);
            }
        }
    }
}
