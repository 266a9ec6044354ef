package com.plantbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.plantbridge.node.BridgeVersion;
import com.plantbridge.peer.HandoverRoutes;
import com.plantbridge.peer.PeerKeys;
import com.plantbridge.peer.PeerSignature;
import com.plantbridge.peer.PeerViewRoutes;
import com.plantbridge.settings.Secret;

/**
 * Whatever answers at a node's bridge.peer.url: an honest Backup's node, or a man in the middle, a
 * node with another secret or clock, or something that is not a bridge at all. It claims to be a
 * Backup's node holding no settings, so the node under test keeps offering its settings.
 */
public final class FakePeer implements AutoCloseable {

    public enum Mode { HONEST, UNSIGNED_CONFIRMATION, REPLAYED_CONFIRMATION, FOREIGN_SECRET, CLOCK_45_S_AHEAD, NOT_A_PEER }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SETTINGS_PATH = "/api/peer/settings";

    public final AtomicInteger settingsRequests = new AtomicInteger();
    private final HttpServer server;
    private final PeerSignature honest;
    private final PeerSignature foreign;
    private final PeerSignature ahead;
    private final Mode mode;
    private volatile String earlierNonce;

    public FakePeer(String secret, Mode mode) {
        this.mode = mode;
        PeerKeys keys = PeerKeys.derive(Secret.of(secret));
        honest = new PeerSignature(keys, PeerSignature.DEFAULT_MAX_SKEW, Clock.systemUTC());
        foreign = new PeerSignature(PeerKeys.derive(Secret.of("not-the-pairs-secret-but-long-enough-0000")),
                PeerSignature.DEFAULT_MAX_SKEW, Clock.systemUTC());
        ahead = new PeerSignature(keys, PeerSignature.DEFAULT_MAX_SKEW, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(45)));
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String nonce = exchange.getRequestHeaders().getFirst(PeerSignature.NONCE_HEADER);
            if (mode == Mode.NOT_A_PEER) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (mode == Mode.CLOCK_45_S_AHEAD) {
                answer(exchange, ahead, nonce, 401, path, Map.of("error", "peer request refused: stale (timestamp outside the allowed clock skew)"), true);
                return;
            }
            PeerSignature signer = mode == Mode.FOREIGN_SECRET ? foreign : honest;
            if (path.equals(PeerViewRoutes.PATH)) {
                earlierNonce = nonce;
                answer(exchange, signer, nonce, 200, path, view(), true);
                return;
            }
            if (path.equals(HandoverRoutes.PATH)) {
                // A Cold Backup's node does not lead: it grants, having captured nothing.
                answer(exchange, signer, nonce, 200, path, Map.of("granted", true, "reason", "handed over", "captured", Map.of()), true);
                return;
            }
            settingsRequests.incrementAndGet();
            long version = JSON.readTree(body).path("version").asLong();
            Map<String, Object> confirmed = new LinkedHashMap<>();
            confirmed.put("outcome", "APPLIED");
            confirmed.put("version", mode == Mode.HONEST ? version : 999);
            confirmed.put("message", "in force");
            switch (mode) {
                case UNSIGNED_CONFIRMATION -> answer(exchange, signer, nonce, 200, SETTINGS_PATH, confirmed, false);
                case REPLAYED_CONFIRMATION -> answer(exchange, signer, earlierNonce, 200, SETTINGS_PATH, confirmed, true);
                default -> answer(exchange, signer, nonce, 200, SETTINGS_PATH, confirmed, true);
            }
        }
    }

    private static Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node", "fake-backup-node");
        view.put("version", BridgeVersion.version());
        view.put("compatibility", BridgeVersion.compatibility());
        view.put("schema", 1);
        view.put("settingsVersion", 0);
        view.put("settingsChecksum", "");
        view.put("error", null);
        view.put("role", "Backup");
        view.put("activityLevel", "Cold");
        view.put("enabled", true);
        view.put("leader", false);
        return view;
    }

    private static void answer(HttpExchange exchange, PeerSignature signer, String nonce, int status, String path,
                               Map<String, Object> content, boolean signed) throws IOException {
        byte[] body = JSON.writeValueAsBytes(content);
        long now = signer.now();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add(PeerSignature.PROTOCOL_HEADER, PeerSignature.PROTOCOL);
        exchange.getResponseHeaders().add(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
        if (signed && nonce != null) {
            exchange.getResponseHeaders().add(PeerSignature.SIGNATURE_HEADER, signer.signAnswer(now, nonce, status, path, body));
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
