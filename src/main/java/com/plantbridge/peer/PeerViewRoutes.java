package com.plantbridge.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer link for redundancy: this node answers {@code GET /api/peer/view} with its own view,
 * signed, and polls the peer's, so that when both gateways say Active the Backup's node can yield
 * to the Master's. Without a reachable, correctly signed peer the node relies on its own gateway.
 */
public final class PeerViewRoutes extends RouteBuilder {

    public static final String PATH = "/api/peer/view";
    private static final Logger LOG = LoggerFactory.getLogger(PeerViewRoutes.class);

    private final PeerSignature signature;
    private final String peerUrl;
    private final long pollMillis;
    private final Supplier<Map<String, Object>> ownView;
    private final ObjectMapper json = new ObjectMapper();
    private volatile PeerView last;
    private final PeerTrust trust;
    private final List<Consumer<PeerView>> listeners = new CopyOnWriteArrayList<>();
    private volatile String problem = "not asked yet";

    public PeerViewRoutes(PeerSignature signature, PeerTrust trust, String peerUrl, long pollMillis, Supplier<Map<String, Object>> ownView) {
        this.signature = signature;
        this.trust = trust;
        this.peerUrl = peerUrl.endsWith("/") ? peerUrl.substring(0, peerUrl.length() - 1) : peerUrl;
        this.pollMillis = pollMillis;
        this.ownView = ownView;
    }

    /** The peer's view when fresh (three polls at most), else empty. */
    public Optional<PeerView> current() {
        PeerView view = last;
        if (view == null || Duration.between(view.fetchedAt(), Instant.now()).toMillis() > 3 * pollMillis) {
            return Optional.empty();
        }
        return Optional.of(view);
    }

    /** Called with every fresh, correctly signed view of the peer. */
    public void onView(Consumer<PeerView> listener) {
        listeners.add(listener);
    }

    public String peerUrl() {
        return peerUrl;
    }

    public String problem() {
        return current().isPresent() ? null : problem;
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=GET").routeId("peer-view-answer")
                .process(this::answer);

        long timeout = Math.max(200, Math.min(pollMillis, 2_000));
        from("timer:peer-view?delay=0&period=" + pollMillis).routeId("peer-view-poll")
                .removeHeaders("*")
                .process(e -> signRequest(e))
                .doTry()
                    .to(peerUrl + PATH + "?httpMethod=GET&throwExceptionOnFailure=false"
                            + "&connectTimeout=" + timeout + "&responseTimeout=" + timeout + "&connectionRequestTimeout=" + timeout)
                    .process(this::onAnswer)
                .doCatch(Exception.class)
                    .process(e -> setProblem("peer unreachable: " + e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getClass().getSimpleName()))
                .end();
    }

    private void answer(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        if (!signature.verify(in.getHeader(PeerSignature.TIMESTAMP_HEADER, String.class), in.getHeader(PeerSignature.SIGNATURE_HEADER, String.class),
                "GET", PATH, body, System.currentTimeMillis())) {
            trust.failure("a request for this node's view had no valid signature");
            in.removeHeaders("*");
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
            in.setBody("{\"error\":\"peer request not signed with bridge.peer.secret, or its timestamp is too old\"}");
            return;
        }
        byte[] answer = json.writeValueAsBytes(ownView.get());
        long now = System.currentTimeMillis();
        in.removeHeaders("*");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
        in.setHeader(PeerSignature.SIGNATURE_HEADER, signature.sign(now, PeerSignature.RESPONSE, PATH, answer));
        in.setBody(answer);
    }

    private void signRequest(Exchange exchange) {
        long now = System.currentTimeMillis();
        exchange.getMessage().setHeader(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
        exchange.getMessage().setHeader(PeerSignature.SIGNATURE_HEADER, signature.sign(now, "GET", PATH, new byte[0]));
        exchange.getMessage().setBody(null);
    }

    private void onAnswer(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = in.getBody(byte[].class);
        if (status != 200) {
            setProblem("peer answered HTTP " + status + (status == 401 ? " (bridge.peer.secret differs?)" : ""));
            if (status == 401) {
                trust.failure("the peer refused this node's signature");
            }
            return;
        }
        if (!signature.verify(in.getHeader(PeerSignature.TIMESTAMP_HEADER, String.class), in.getHeader(PeerSignature.SIGNATURE_HEADER, String.class),
                PeerSignature.RESPONSE, PATH, body, System.currentTimeMillis())) {
            setProblem("peer answer is not signed with bridge.peer.secret");
            trust.failure("the peer's answer is not signed with this node's secret");
            return;
        }
        JsonNode view = json.readTree(new String(body, StandardCharsets.UTF_8));
        last = new PeerView(view.path("node").asText(), view.path("version").asText(), view.path("compatibility").asText(),
                view.path("schema").asInt(), view.path("role").asText(), view.path("activityLevel").asText(),
                view.path("enabled").asBoolean(), view.path("leader").asBoolean(), view.path("settingsVersion").asLong(),
                view.path("settingsChecksum").asText(), view.path("error").isNull() ? null : view.path("error").asText(null), Instant.now());
        listeners.forEach(l -> l.accept(last));
        if (problem != null) {
            LOG.info("Peer link to {} up: peer node {} is {} {}", peerUrl, last.node(), last.role(), last.activityLevel());
        }
        problem = null;
    }

    private void setProblem(String text) {
        if (problem == null || !problem.equals(text)) {
            LOG.warn("Peer link to {}: {}", peerUrl, text);
        }
        problem = text;
    }
}
