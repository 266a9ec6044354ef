package com.plantbridge.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import com.plantbridge.mirror.PairLink;
import com.plantbridge.tls.PeerTrust;

/**
 * What the admin port refused, per reason, and the peer certificates this node refused, in Camel's
 * Micrometer registry beside the node's other {@code bridge_} meters:
 * {@code bridge_admin_refused_calls_total{reason}}, {@code bridge_peer_certificates_refused_total}.
 * Every reason is there from the start, as alerting on rates needs.
 */
final class SecurityMeters {

    private SecurityMeters() {
    }

    static void bind(MeterRegistry registry, RefusedCalls refused, PairLink pair) {
        for (RefusedCalls.Reason reason : RefusedCalls.Reason.values()) {
            FunctionCounter.builder(BridgeMetrics.PREFIX + "admin.refused.calls", refused, r -> r.count(reason)).tag("reason", reason.key())
                    .description("Calls the admin port refused before any route ran, by reason").register(registry);
        }
        pair.peerLink().flatMap(link -> link.trust()).ifPresent(trust -> FunctionCounter.builder(BridgeMetrics.PREFIX + "peer.certificates.refused",
                trust, PeerTrust::refusedCertificates).description("TLS certificates of the peer this node refused").register(registry));
    }
}
