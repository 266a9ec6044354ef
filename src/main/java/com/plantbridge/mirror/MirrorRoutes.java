package com.plantbridge.mirror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.ops.AtomicFiles;
import com.plantbridge.peer.PeerSignature;
import com.plantbridge.peer.PeerTrust;
import com.plantbridge.peer.PeerView;
import com.plantbridge.peer.PeerViewRoutes;
import com.plantbridge.settings.InvalidSettingsException;
import com.plantbridge.settings.ModuleSettingsLoader;

/**
 * The settings mirror as routes: camel-file watches bridge.module-config; the Master's node sends
 * the document to the peer (signed, encrypted) when the peer holds another version, at once after
 * a change and at every periodic check; the Backup's node receives it on /api/peer/settings.
 */
public final class MirrorRoutes extends RouteBuilder {

    public static final String PEER_PATH = "/api/peer/settings";
    private static final Logger LOG = LoggerFactory.getLogger(MirrorRoutes.class);
    private static final long MIN_PUSH_GAP_MS = 1_000;

    private final SettingsMirror mirror;
    private final PeerSignature signature;
    private final PeerTrust trust;
    private final PeerViewRoutes peer;
    private final Path settingsFile;
    private final long checkMillis;
    private final ObjectMapper json = new ObjectMapper();
    private volatile long lastPush;

    public MirrorRoutes(SettingsMirror mirror, PeerSignature signature, PeerTrust trust, PeerViewRoutes peer, Path settingsFile, long checkMillis) {
        this.mirror = mirror;
        this.signature = signature;
        this.trust = trust;
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
                    pushIfNeeded(false);
                });

        from("timer:settings-check?delay=" + checkMillis + "&period=" + checkMillis).routeId("settings-check")
                .process(e -> pushIfNeeded(true));

        from("platform-http:" + PEER_PATH + "?httpMethodRestrict=POST").routeId("settings-receive")
                .process(this::receive);

        from("platform-http:/api/settings?httpMethodRestrict=PUT,POST").routeId("admin-settings")
                .process(this::adminChange);

        peer.onView(view -> {
            mirror.peerCompatibility(view);
            pushIfNeeded(false);
        });
    }

    private synchronized void pushIfNeeded(boolean periodic) {
        PeerView view = peer.current().orElse(null);
        if (view == null || !mirror.peerNeedsSettings(view) || System.currentTimeMillis() - lastPush < MIN_PUSH_GAP_MS) {
            return;
        }
        lastPush = System.currentTimeMillis();
        byte[] body = mirror.outgoingDocument().getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        Exchange answer = getContext().createProducerTemplate().send(
                peer.peerUrl() + PEER_PATH + "?httpMethod=POST&throwExceptionOnFailure=false&connectTimeout=2000&responseTimeout=10000",
                e -> {
                    e.getMessage().setBody(body);
                    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    e.getMessage().setHeader(PeerSignature.TIMESTAMP_HEADER, String.valueOf(now));
                    e.getMessage().setHeader(PeerSignature.SIGNATURE_HEADER, signature.sign(now, "POST", PEER_PATH, body));
                });
        if (answer.getException() != null) {
            LOG.debug("Settings could not reach the peer", answer.getException());
            return;
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = answer.getMessage().getBody(String.class);
        if (status == 200) {
            try {
                mirror.confirmed(json.readTree(text).path("confirmed").asLong());
            } catch (Exception e) {
                LOG.warn("The Backup's node answered settings with something unreadable: {}", text);
            }
        } else if (status == 401) {
            trust.failure("the peer refused the signed settings document");
        } else {
            LOG.warn("The Backup's node refused settings version {}{}: HTTP {} {}", mirror.version(), periodic ? " (periodic check)" : "", status, text);
        }
    }

    private void receive(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        boolean signed = signature.verify(in.getHeader(PeerSignature.TIMESTAMP_HEADER, String.class),
                in.getHeader(PeerSignature.SIGNATURE_HEADER, String.class), "POST", PEER_PATH, body, System.currentTimeMillis());
        in.removeHeaders("*");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (!signed) {
            trust.failure("a settings document arrived without a valid signature; it was refused");
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            in.setBody("{\"error\":\"not signed with bridge.peer.secret, or the timestamp is too old\"}");
            return;
        }
        SettingsMirror.Answer answer = mirror.onPeerDocument(json.readTree(body));
        int status = switch (answer.outcome()) {
            case APPLIED, UNCHANGED -> 200;
            case REFUSED_INVALID -> 422;
            default -> 409;
        };
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setBody(status == 200 ? "{\"confirmed\":" + answer.version() + "}" : json.writeValueAsString(java.util.Map.of("error", answer.message())));
    }

    /** Settings through the admin API: the Master's node takes them like a saved file; the Backup's refuses. */
    private void adminChange(Exchange exchange) {
        var in = exchange.getMessage();
        String yaml = in.getBody(String.class);
        in.removeHeaders("*");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (!mirror.isMastersNode()) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 409);
            in.setBody("{\"error\":\"settings are changed on the Master's node (" + peer.peerUrl()
                    + ") and mirrored here; only enable/disable is allowed on this node\"}");
            return;
        }
        try {
            new ModuleSettingsLoader().parse(settingsFile.toString(), yaml == null ? "" : yaml);
        } catch (InvalidSettingsException e) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            in.setBody("{\"error\":" + quote(e.getMessage()) + "}");
            return;
        }
        AtomicFiles.replaceKeepingPrevious(settingsFile, yaml.getBytes(StandardCharsets.UTF_8));
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        in.setBody("{\"accepted\":true}");
    }

    private String quote(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (Exception e) {
            return "\"\"";
        }
    }

}
