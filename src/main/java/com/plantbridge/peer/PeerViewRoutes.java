package com.plantbridge.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import com.plantbridge.redundancy.PeerView;

/**
 * The peer link for redundancy: this node answers {@code GET /api/peer/view} with its own view,
 * signed, and polls the peer's, so that when both gateways say Active the Backup's node can yield
 * to the Master's. Without a reachable, correctly signed peer the node relies on its own gateway.
 */
public final class PeerViewRoutes extends RouteBuilder {

    public static final String PATH = "/api/peer/view";
    private static final long EAGER_MILLIS = 100;

    private final PeerLink link;
    private final long pollMillis;
    private final Supplier<PeerViewMessage> ownView;
    private final ObjectMapper json;
    private final List<Consumer<PeerView>> listeners = new CopyOnWriteArrayList<>();
    private volatile PeerView last;
    private volatile long nextPollAt;
    private volatile long eagerUntil;

    public PeerViewRoutes(PeerLink link, long pollMillis, Supplier<PeerViewMessage> ownView, ObjectMapper json) {
        this.link = link;
        this.json = json;
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

    /**
     * Poll every {@value #EAGER_MILLIS} ms for the next two poll intervals. A failover reaches the
     * two nodes at different polls of their gateways; the Backup's node sees its gateway Active
     * while its last view of the peer still says the Master's gateway is, and waiting a whole poll
     * for the next view would add up to one poll interval to every takeover.
     */
    public void refreshSoon() {
        eagerUntil = System.currentTimeMillis() + 2 * pollMillis;
    }

    public String peerUrl() {
        return link.peerUrl();
    }

    public String problem() {
        return current().isPresent() ? null : link.health().problem();
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=GET").routeId("peer-view-answer")
                .process(this::answer);

        from("timer:peer-view?delay=0&period=" + Math.min(EAGER_MILLIS, pollMillis)).routeId("peer-view-poll")
                .process(e -> pollWhenDue());
    }

    private void answer(Exchange exchange) throws Exception {
        if (link.inbound().accept(exchange, "GET", PATH)) {
            link.inbound().answer(exchange, 200, PATH, json.writeValueAsBytes(ownView.get()));
        }
    }

    private void pollWhenDue() throws Exception {
        long now = System.currentTimeMillis();
        if (now >= nextPollAt || now < eagerUntil) {
            nextPollAt = now + pollMillis;
            poll();
        }
    }

    private void poll() throws Exception {
        Duration timeout = Duration.ofMillis(Math.max(200, Math.min(pollMillis, 2_000)));
        Optional<PeerClient.Answer> answer = link.client().exchange("GET", PATH, null, null, timeout);
        if (answer.isEmpty() || answer.get().status() != 200) {
            return;
        }
        PeerView fresh = json.readValue(answer.get().body(), PeerViewMessage.class).fetched(Instant.now());
        last = fresh;
        listeners.forEach(l -> l.accept(fresh));
    }
}
