package com.plantbridge.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.knowledge.PairKnowledge;
import com.plantbridge.redundancy.LeadershipFence;

/**
 * The pair's knowledge of what MaintainX holds, streamed over the signed peer link: each node
 * answers {@code POST /api/peer/knowledge} with what changed in its ledger after the position the
 * asker names, and asks its peer every poll interval, at once again while more waits (at most
 * {@value #MAX_ENTRIES} meters an answer, at most ten answers a second). So a node that takes over
 * knows what the old leader delivered and had on its way, without asking MaintainX.
 */
public final class KnowledgeRoutes extends RouteBuilder implements PairKnowledge.PeerPull {

    public static final String PATH = "/api/peer/knowledge";
    static final int MAX_ENTRIES = 5_000;
    private static final long MIN_GAP_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeRoutes.class);

    private final PeerLink link;
    private final PairKnowledge knowledge;
    private final LeadershipFence fence;
    private final long pollMillis;
    private final ObjectMapper json;
    private final Object pulling = new Object();

    public KnowledgeRoutes(PeerLink link, PairKnowledge knowledge, LeadershipFence fence, long pollMillis, ObjectMapper json) {
        this.link = link;
        this.knowledge = knowledge;
        this.fence = fence;
        this.pollMillis = pollMillis;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=POST").routeId("peer-knowledge-answer")
                .process(this::answer);

        from("timer:peer-knowledge?delay=" + pollMillis + "&period=" + pollMillis).routeId("peer-knowledge-pull")
                .process(e -> untilCurrent(Duration.ofMillis(pollMillis)));
    }

    private void answer(Exchange exchange) throws Exception {
        if (!link.inbound().accept(exchange, "POST", PATH)) {
            return;
        }
        KnowledgeMessages.Request request;
        try {
            request = json.readValue(exchange.getMessage().getBody(byte[].class), KnowledgeMessages.Request.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            link.inbound().answer(exchange, 400, PATH, json.writeValueAsBytes(
                    java.util.Map.of("error", "the knowledge request is not readable JSON" + com.plantbridge.settings.YamlErrors.describe(e))));
            return;
        }
        // Read before the ledger: whatever is accepted before upTo is in the ledger by now.
        boolean capturing = fence.mayStillCapture();
        Instant upTo = fence.capturedUpTo();
        var delta = knowledge.own().delta(request.epoch(), request.after(), Math.max(1, Math.min(MAX_ENTRIES, request.max())));
        link.inbound().answer(exchange, 200, PATH, json.writeValueAsBytes(KnowledgeMessages.Answer.of(delta, upTo, capturing, Instant.now())));
    }

    /** Asks until nothing more waits, or {@code max} has passed; true when this node's copy is current. */
    @Override
    public boolean untilCurrent(Duration max) {
        long deadline = System.currentTimeMillis() + max.toMillis();
        synchronized (pulling) {
            while (true) {
                long asked = System.currentTimeMillis();
                Boolean more = pullOnce(Duration.ofMillis(Math.max(200, Math.min(2_000, deadline - asked))));
                if (more == null) {
                    return false;
                }
                if (!more) {
                    return true;
                }
                long wait = asked + MIN_GAP_MS - System.currentTimeMillis();
                if (System.currentTimeMillis() + Math.max(0, wait) >= deadline) {
                    return false;
                }
                sleep(wait);
            }
        }
    }

    /** One answer applied: whether more waits, or null when the peer could not be asked. */
    private Boolean pullOnce(Duration timeout) {
        try {
            var peer = knowledge.peer();
            byte[] body = json.writeValueAsBytes(new KnowledgeMessages.Request(peer.epoch(), peer.last(), MAX_ENTRIES));
            long sent = System.currentTimeMillis();
            Optional<PeerClient.Answer> answer = link.client().exchange("POST", PATH, body, "application/json", timeout);
            long received = System.currentTimeMillis();
            if (answer.isEmpty() || answer.get().status() != 200) {
                return null;
            }
            KnowledgeMessages.Answer a = json.readValue(answer.get().body(), KnowledgeMessages.Answer.class);
            // The peer's clock, moved to this node's: the answer was made about half-way between sending and receiving.
            long offset = a.at() - (sent + received) / 2;
            knowledge.fromPeer(a.delta(), Instant.ofEpochMilli(a.upTo() - offset), a.capturing());
            return a.more();
        } catch (Exception e) {
            LOG.debug("The peer's knowledge could not be fetched", e);
            return null;
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
