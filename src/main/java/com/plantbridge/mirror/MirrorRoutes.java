package com.plantbridge.mirror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.AtomicFiles;
import com.plantbridge.peer.PeerClient;
import com.plantbridge.peer.PeerLink;
import com.plantbridge.peer.PeerViewRoutes;
import com.plantbridge.redundancy.PeerView;
import com.plantbridge.settings.InvalidSettingsException;
import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.settings.YamlErrors;

/**
 * The settings mirror as routes: camel-file watches bridge.module-config; the Master's node sends
 * the document to the peer (signed, encrypted) when the peer holds another version, at once after
 * a change and at every periodic check; the Backup's node receives it on /api/peer/settings and
 * answers, signed over the request's nonce, what it did.
 */
public final class MirrorRoutes extends RouteBuilder {

    public static final String PEER_PATH = "/api/peer/settings";
    public static final String ADMIN_PATH = "/api/settings";
    private static final Logger LOG = LoggerFactory.getLogger(MirrorRoutes.class);
    private static final long MIN_PUSH_GAP_MS = 1_000;

    private final SettingsMirror mirror;
    private final PeerLink link;
    private final PeerViewRoutes peer;
    private final Path settingsFile;
    private final long checkMillis;
    private final ObjectMapper json;
    private volatile long lastPush;

    public MirrorRoutes(SettingsMirror mirror, PeerLink link, PeerViewRoutes peer, Path settingsFile, long checkMillis, ObjectMapper json) {
        this.json = json;
        this.mirror = mirror;
        this.link = link;
        this.peer = peer;
        this.settingsFile = settingsFile.toAbsolutePath();
        this.checkMillis = checkMillis;
    }

    @Override
    public void configure() {
        // A small file read on every poll: a change is noticed whatever the editor does to timestamps.
        fromF("file:%s?fileName=%s&noop=true&idempotent=false&delay=500&readLock=none",
                settingsFile.getParent(), settingsFile.getFileName()).routeId("settings-watch")
                .process(e -> {
                    mirror.onLocalFile(e.getMessage().getBody(byte[].class));
                    pushIfNeeded();
                });

        from("timer:settings-check?delay=" + checkMillis + "&period=" + checkMillis).routeId("settings-check")
                .process(e -> pushIfNeeded());

        from("platform-http:" + PEER_PATH + "?httpMethodRestrict=POST").routeId("settings-receive")
                .process(this::receive);

        // PUT only: a browser cannot send a cross-site PUT without a CORS preflight this server never grants.
        from("platform-http:" + ADMIN_PATH + "?httpMethodRestrict=PUT").routeId("admin-settings")
                // Never an exception's text in the answer, nor the body (it holds tokens) in the log.
                .onException(Exception.class).handled(true)
                    .process(e -> {
                        LOG.error("PUT {} failed: {}", ADMIN_PATH, e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).toString());
                        e.getMessage().removeHeaders("*");
                        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                        error(e.getMessage(), 500, "internal error; see the node's log");
                    })
                .end()
                .process(this::adminChange);

        peer.onView(view -> {
            try {
                pushIfNeeded();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the settings document cannot be written as JSON", e);
            }
        });
    }

    private synchronized void pushIfNeeded() throws JsonProcessingException {
        PeerView view = peer.current().orElse(null);
        if (view != null) {
            mirror.onPeerView(view);   // a Master's node that lost its data dir catches up before it offers a stale version
        }
        long gap = mirror.pushRefusedForCurrentVersion() ? checkMillis : MIN_PUSH_GAP_MS;
        if (view == null || !mirror.peerNeedsSettings(view) || System.currentTimeMillis() - lastPush < gap) {
            return;
        }
        lastPush = System.currentTimeMillis();
        byte[] body = json.writeValueAsBytes(mirror.outgoingDocument());
        Optional<PeerClient.Answer> answer = link.client().exchange("POST", PEER_PATH, body, "application/json", Duration.ofSeconds(10));
        if (answer.isEmpty()) {
            return;   // unreachable or not authentic: the link's health says which; nothing is believed
        }
        PushAnswer pushAnswer;
        try {
            pushAnswer = json.readValue(answer.get().body(), PushAnswer.class);
        } catch (Exception e) {
            LOG.warn("The Backup's node answered settings version {} with HTTP {} and a body this node cannot read",
                    mirror.version(), answer.get().status());
            return;
        }
        mirror.pushAnswered(answer.get().status(), pushAnswer);
    }

    private void receive(Exchange exchange) throws Exception {
        if (!link.inbound().accept(exchange, "POST", PEER_PATH)) {
            return;
        }
        MirrorDocument document;
        try {
            document = json.readValue(exchange.getMessage().getBody(byte[].class), MirrorDocument.class);
        } catch (Exception e) {
            link.inbound().answer(exchange, 400, PEER_PATH, json.writeValueAsBytes(new PushAnswer(SettingsMirror.Outcome.REFUSED_INVALID,
                    mirror.version(), "the settings document is not readable JSON" + YamlErrors.describe(e))));
            return;
        }
        SettingsMirror.Answer answer = mirror.onPeerDocument(document);
        int status = switch (answer.outcome()) {
            case APPLIED, UNCHANGED -> 200;
            case REFUSED_INVALID -> 422;
            default -> 409;
        };
        link.inbound().answer(exchange, status, PEER_PATH, json.writeValueAsBytes(new PushAnswer(answer.outcome(), answer.version(), answer.message())));
    }

    /**
     * Settings through the admin API (the admin token is checked before any admin route): the
     * Master's node takes a YAML document like a saved file; the Backup's refuses. An empty body
     * used to be accepted and stopped every connector.
     */
    private void adminChange(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).split(";")[0].trim().toLowerCase(Locale.ROOT);
        String yaml = in.getBody(String.class);
        in.removeHeaders("*");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (!contentType.equals("application/yaml") && !contentType.equals("text/yaml")) {
            error(in, 415, "PUT " + ADMIN_PATH + " takes the settings file as Content-Type: application/yaml (or text/yaml)");
            return;
        }
        if (!mirror.isMastersNode()) {
            error(in, 409, "settings are changed on the Master's node (" + peer.peerUrl()
                    + ") and mirrored here; only enable/disable is allowed on this node");
            return;
        }
        if (yaml == null || yaml.isBlank()) {
            error(in, 400, "the settings document is empty; send the whole settings file (an empty file would stop every connector)");
            return;
        }
        ModuleSettingsLoader loader = mirror.loader();
        try {
            if (!loader.hasContent(yaml)) {
                error(in, 400, "the settings document holds no settings (only comments?); send the whole settings file");
                return;
            }
            // Named by the file's name, not its path: the answer tells no caller where the node is installed.
            loader.parse(settingsFile.getFileName().toString(), yaml);
        } catch (InvalidSettingsException e) {
            error(in, 400, e.getMessage());
            return;
        }
        AtomicFiles.replaceKeepingPrevious(settingsFile, yaml.getBytes(StandardCharsets.UTF_8));
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        in.setBody(json.writeValueAsString(Map.of("accepted", true)));
    }

    private void error(org.apache.camel.Message message, int status, String text) throws Exception {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setBody(json.writeValueAsString(Map.of("error", text)));
    }
}
