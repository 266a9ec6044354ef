package com.plantbridge.peer;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;

import com.plantbridge.tls.PeerTrust;

/** The peer link of this node: its signatures, the inbound check, the outbound client and their state. */
public final class PeerLink {

    private final String peerUrl;
    private final PeerSignature signature;
    private final InboundRefusals refusals;
    private final PeerLinkHealth health;
    private final PeerInbound inbound;
    private final PeerClient client;
    private final PeerTrust trust;

    /** {@code trust} checks the peer's certificate of an https:// peer URL; null for plain HTTP. */
    public PeerLink(CamelContext context, String peerUrl, PeerKeys keys, Clock clock, ObjectMapper json, PeerTrust trust) {
        this.peerUrl = peerUrl.endsWith("/") ? peerUrl.substring(0, peerUrl.length() - 1) : peerUrl;
        this.signature = new PeerSignature(keys, PeerSignature.DEFAULT_MAX_SKEW, clock);
        this.refusals = new InboundRefusals(clock);
        this.health = new PeerLinkHealth(this.peerUrl, clock);
        this.inbound = new PeerInbound(signature, refusals, json);
        this.trust = trust;
        this.client = new PeerClient(context, signature, health, this.peerUrl, json, trust == null ? "" : trust.endpointOptions(context));
    }

    public String peerUrl() {
        return peerUrl;
    }

    public PeerInbound inbound() {
        return inbound;
    }

    public PeerClient client() {
        return client;
    }

    public PeerLinkHealth health() {
        return health;
    }

    public Optional<PeerTrust> trust() {
        return Optional.ofNullable(trust);
    }

    public InboundRefusals refusals() {
        return refusals;
    }

    /** For status: the outbound link's state and the inbound requests refused. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>(health.status());
        s.put("refusedRequests", refusals.status());
        return s;
    }
}
