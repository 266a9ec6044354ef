package com.plantbridge.sim;

import java.net.URI;
import java.time.Duration;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.sim.gateway.SimulatedGatewayPair;
import com.plantbridge.sim.maintainx.MaintainxSandbox;

/**
 * The embedded default (bridge.demo.enabled=true): a simulated Ignition gateway pair where the
 * node expects its gateway, and a MaintainX sandbox where it expects MaintainX, so that a newcomer
 * sees readings flow without an account or a gateway. Never enabled on a real site.
 */
public final class DemoEnvironment extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DemoEnvironment.class);

    private final ActiveSettings settings;
    private final URI opcUaEndpoint;
    private final URI gatewayUrl;
    private final int sandboxPort;
    private SimulatedGatewayPair gateways;
    private MaintainxSandbox sandbox;

    public DemoEnvironment(ActiveSettings settings, String opcUaEndpoint, String gatewayUrl, int sandboxPort) {
        this.settings = settings;
        this.opcUaEndpoint = URI.create(opcUaEndpoint);
        this.gatewayUrl = URI.create(gatewayUrl);
        this.sandboxPort = sandboxPort;
    }

    @Override
    protected void doStart() {
        int opcUaPort = opcUaEndpoint.getPort();
        int httpPort = gatewayUrl.getPort();
        gateways = SimulatedGatewayPair.start(opcUaPort, httpPort, opcUaPort + 1, httpPort + 1);
        gateways.master().startDemoChanges(Duration.ofSeconds(2));
        sandbox = MaintainxSandbox.start(sandboxPort).autoCreateMeters(true);
        for (ConnectorSettings connector : settings.current().connectors()) {
            if (connector.organizationId() == null) {
                sandbox.token(connector.token().reveal());
            } else {
                sandbox.token(connector.token().reveal(), connector.organizationId());
            }
        }
        LOG.info("DEMO: simulated Ignition gateways at {} (Master) and port {} (Backup); MaintainX sandbox at {}; watch readings at {}",
                gateways.master().opcUaEndpoint(), opcUaPort + 1, sandbox.baseUrl(), sandbox.viewerUrl());
    }

    @Override
    protected void doStop() {
        if (gateways != null) {
            gateways.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
