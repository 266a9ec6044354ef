package com.plantbridge.mirror;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.RoutesBuilder;

import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.node.BridgeVersion;
import com.plantbridge.node.ModuleSwitch;
import com.plantbridge.node.NodeIdentity;
import com.plantbridge.node.NodeProperties;
import com.plantbridge.peer.HandoverClient;
import com.plantbridge.peer.KnowledgeRoutes;
import com.plantbridge.peer.OwnView;
import com.plantbridge.peer.PeerKeys;
import com.plantbridge.peer.PeerLink;
import com.plantbridge.peer.PeerViewRoutes;
import com.plantbridge.redundancy.LeadershipFence;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ActiveSettings;
import com.plantbridge.settings.Secret;
import com.plantbridge.tags.SettingsApplier;
import com.plantbridge.tls.PeerTrust;

/**
 * The two nodes of a redundant pair: the signed peer view (who leads when both gateways say
 * Active) and the settings mirror from the Master's node to the Backup's. Nothing without
 * bridge.peer.url: a single node follows its own gateway. In this package because it puts the
 * peer link (peer) and the settings mirror together; the admin port's check of peer calls is wired
 * by ops, which sits above both.
 */
@Configuration
public class PairConfiguration implements CamelConfiguration {

    private final List<RoutesBuilder> routes = new ArrayList<>();

    @BindToRegistry
    public PairLink pairLink(CamelContext context, NodeProperties properties, NodeIdentity node, RedundancyMonitor monitor,
                             ModuleSwitch moduleSwitch, LeadershipFence fence, SettingsApplier applier, ActiveSettings settings,
                             ObjectMapper json, PairKnowledge knowledge) {
        Optional<String> peerUrl = properties.optional("bridge.peer.url");
        if (peerUrl.isEmpty()) {
            return PairLink.none(monitor);
        }
        // HKDF keys from a secret of at least 32 characters (refused at start otherwise).
        PeerKeys keys = PeerKeys.derive(Secret.of(properties.textOrEmpty(PeerKeys.SECRET_KEY)));
        PeerTrust trust = PeerTrust.load(properties, peerUrl.get(), Clock.systemUTC()).orElse(null);
        PeerLink link = new PeerLink(context, peerUrl.get(), keys, Clock.systemUTC(), json, trust);
        String compatibility = properties.optional("bridge.compatibility").orElse(BridgeVersion.compatibility());
        SettingsMirror mirror = new SettingsMirror(settings.file(), settings.loader(), properties.path("bridge.data-dir"), keys, applier, monitor, compatibility);
        long poll = properties.millis("ignition.redundancy.poll-interval").toMillis();
        PeerViewRoutes peer = new PeerViewRoutes(link, poll, new OwnView(node, monitor, moduleSwitch, fence, mirror, link), json);
        routes.add(peer);
        KnowledgeRoutes stream = new KnowledgeRoutes(link, knowledge, fence, poll, json);
        knowledge.pullWith(stream);
        routes.add(stream);
        routes.add(new MirrorRoutes(mirror, link, peer, settings.file(), properties.millis("bridge.mirror.check-interval").toMillis(), json));
        return new PairLink(monitor, peer, link, mirror, new HandoverClient(link, json));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        for (RoutesBuilder builder : routes) {
            context.addRoutes(builder);
        }
    }
}
