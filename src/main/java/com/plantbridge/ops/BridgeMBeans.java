package com.plantbridge.ops;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import javax.management.JMException;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.ModuleSettings;

/**
 * Registers the application's own MBeans beside Camel's, under the Camel context
 * ({@code org.apache.camel:context=<name>,type=bridge,name=...}), so Hawtio's JMX tree shows them
 * next to the routes: {@code redundancy}, {@code mirror} and {@code sender-<connector>} per connector
 * of the settings. Camel's own service naming would call every sender "ManagedConnectorSender(hash)".
 */
public final class BridgeMBeans extends ServiceSupport {

    public static final String TYPE = "bridge";
    private static final Logger LOG = LoggerFactory.getLogger(BridgeMBeans.class);

    private final CamelContext context;
    private final Map<String, Object> nodeBeans;
    private final Function<String, Object> connectorBean;
    private final Set<ObjectName> registered = ConcurrentHashMap.newKeySet();
    private volatile ModuleSettings pending;

    /**
     * @param nodeBeans     one MBean per name for the node (redundancy, mirror)
     * @param connectorBean the MBean of a connector, by name
     */
    public BridgeMBeans(CamelContext context, Map<String, Object> nodeBeans, Function<String, Object> connectorBean) {
        this.context = context;
        this.nodeBeans = nodeBeans;
        this.connectorBean = connectorBean;
    }

    /** The object name of one of the application's MBeans in this Camel context. */
    public static ObjectName objectName(CamelContext context, String name) throws JMException {
        ObjectName contextName = context.getManagementStrategy().getManagementObjectNameStrategy().getObjectNameForCamelContext(context);
        return new ObjectName(contextName.getDomain() + ":context=" + contextName.getKeyProperty("context") + ",type=" + TYPE + ",name=" + name);
    }

    @Override
    protected void doStart() throws Exception {
        if (agent() == null) {
            return; // JMX off (camel.main.jmx-enabled=false)
        }
        for (Map.Entry<String, Object> bean : nodeBeans.entrySet()) {
            register(bean.getKey(), bean.getValue());
        }
        ModuleSettings settings = pending;
        if (settings != null) {
            connectors(settings);
        }
    }

    /** One MBean per connector of the settings; those of removed connectors go. */
    public synchronized void connectors(ModuleSettings settings) {
        pending = settings;
        if (!isStarted() && !isStarting() || agent() == null) {
            return;
        }
        try {
            Set<String> wanted = ConcurrentHashMap.newKeySet();
            for (ConnectorSettings connector : settings.connectors()) {
                wanted.add(senderName(connector.name()));
                register(senderName(connector.name()), connectorBean.apply(connector.name()));
            }
            for (ObjectName name : Set.copyOf(registered)) {
                String key = name.getKeyProperty("name");
                if (key.startsWith("sender-") && !wanted.contains(key)) {
                    agent().unregister(name);
                    registered.remove(name);
                }
            }
        } catch (JMException e) {
            LOG.warn("The connectors' MBeans could not be registered: {}", e.toString());
        }
    }

    private static String senderName(String connector) {
        return "sender-" + connector;
    }

    private void register(String name, Object bean) throws JMException {
        ObjectName objectName = objectName(context, name);
        if (registered.contains(objectName)) {
            return;
        }
        agent().register(bean, objectName, true);
        registered.add(objectName);
    }

    @Override
    protected void doStop() throws Exception {
        ManagementAgent agent = agent();
        for (ObjectName name : Set.copyOf(registered)) {
            if (agent != null && agent.isRegistered(name)) {
                agent.unregister(name);
            }
            registered.remove(name);
        }
    }

    private ManagementAgent agent() {
        return context.getManagementStrategy() == null ? null : context.getManagementStrategy().getManagementAgent();
    }
}
