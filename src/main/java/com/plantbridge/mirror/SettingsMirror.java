package com.plantbridge.mirror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.ops.AtomicFiles;
import com.plantbridge.ops.SettingsApplier;
import com.plantbridge.peer.PeerView;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.InvalidSettingsException;
import com.plantbridge.settings.ModuleSettings;
import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.settings.Secret;

/**
 * The module settings of a redundant pair, as the module keeps them: changed on the Master's node
 * only, mirrored to the Backup's node with a version and checksum, read-only there. Which node is
 * the Master's comes from its gateway's role, never from a local flag.
 */
public final class SettingsMirror {

    /** Version of the settings document's schema; nodes with different schemas do not mirror. */
    public static final int SCHEMA = 1;
    private static final Logger LOG = LoggerFactory.getLogger(SettingsMirror.class);

    public enum Outcome { APPLIED, UNCHANGED, REFUSED_STALE, REFUSED_INCOMPATIBLE, REFUSED_INVALID, REFUSED_NOT_BACKUP }

    public record Answer(Outcome outcome, long version, String message) {
    }

    private final Path settingsFile;
    private final MirrorState state;
    private final SettingsCrypto crypto;
    private final SettingsApplier applier;
    private final RedundancyMonitor redundancy;
    private final String compatibility;
    private final ModuleSettingsLoader loader = new ModuleSettingsLoader();
    private volatile String lastRejected = "";
    private volatile String incompatiblePeer;

    public SettingsMirror(Path settingsFile, Path dataDir, Secret peerSecret, SettingsApplier applier,
                          RedundancyMonitor redundancy, String compatibility) {
        this.settingsFile = settingsFile;
        this.state = new MirrorState(dataDir);
        this.crypto = new SettingsCrypto(peerSecret);
        this.applier = applier;
        this.redundancy = redundancy;
        this.compatibility = compatibility;
    }

    /** Master or Independent: this node's settings are the pair's. Unknown: neither role acts. */
    public boolean isMastersNode() {
        GatewayRedundancy r = redundancy.current();
        return r.isKnown() && (r.isMaster() || "Independent".equals(r.role()));
    }

    private boolean isBackupsNode() {
        GatewayRedundancy r = redundancy.current();
        return r.isKnown() && "Backup".equals(r.role());
    }

    public String compatibility() {
        return compatibility;
    }

    public long version() {
        return state.version();
    }

    public String checksum() {
        return state.checksum();
    }

    public long confirmedVersion() {
        return state.confirmedVersion();
    }

    public Instant confirmedAt() {
        return state.confirmedAt();
    }

    /**
     * The settings file as it is now on disk (read every poll). On the Master's node a valid change
     * becomes the next version; on the Backup's node any change to the Master's copy is reverted.
     */
    public synchronized void onLocalFile(byte[] content) throws Exception {
        String checksum = SettingsCrypto.sha256(content);
        if (checksum.equals(state.checksum()) || checksum.equals(lastRejected)) {
            return;
        }
        if (isMastersNode()) {
            ModuleSettings settings;
            try {
                settings = loader.parse(settingsFile.toString(), new String(content, StandardCharsets.UTF_8));
            } catch (InvalidSettingsException e) {
                lastRejected = checksum;
                LOG.error("Settings change refused, the running settings stay in force on both nodes: {}", e.getMessage());
                return;
            }
            applier.apply(settings);
            state.accept(state.version() + 1, checksum, content);
            LOG.info("Settings version {} in force on this node (the Master's); mirroring it to the Backup's node", state.version());
        } else if (isBackupsNode() && state.version() > 0) {
            LOG.warn("{} was edited on the Backup's node ({}); settings are changed on the Master's node only. Restoring the Master's version {}",
                    settingsFile, describeChange(content), state.version());
            AtomicFiles.replaceKeepingPrevious(settingsFile, state.trustedCopy());
        }
    }

    /** What a Backup's edit changed, in words an engineer can check against what they did. */
    private String describeChange(byte[] edited) {
        ModuleSettings trusted = loader.parse("mirrored copy", new String(state.trustedCopy(), StandardCharsets.UTF_8));
        ModuleSettings local;
        try {
            local = loader.parse(settingsFile.toString(), new String(edited, StandardCharsets.UTF_8));
        } catch (InvalidSettingsException e) {
            return "the edited file is not even valid: " + e.getMessage();
        }
        List<String> changes = new ArrayList<>();
        for (ConnectorSettings c : local.connectors()) {
            Optional<ConnectorSettings> before = trusted.connector(c.name());
            if (before.isEmpty()) {
                changes.add("connector " + c.name() + " added");
            } else if (!before.get().equals(c)) {
                changes.add("connector " + c.name() + " changed" + (before.get().tags().equals(c.tags()) ? "" : " (tags)"));
            }
        }
        for (ConnectorSettings c : trusted.connectors()) {
            if (local.connector(c.name()).isEmpty()) {
                changes.add("connector " + c.name() + " removed");
            }
        }
        return changes.isEmpty() ? "only formatting or comments changed" : String.join("; ", changes);
    }

    /** The document the Master's node sends: version, checksum and the encrypted file. */
    public synchronized String outgoingDocument() {
        return "{\"version\":" + state.version() + ",\"checksum\":\"" + state.checksum() + "\",\"schema\":" + SCHEMA
                + ",\"compatibility\":\"" + compatibility + "\",\"sealed\":\"" + crypto.encrypt(state.trustedCopy()) + "\"}";
    }

    public boolean hasSettingsToMirror() {
        return state.version() > 0;
    }

    /** A document from the peer (already signature-checked): stored atomically and put in force. */
    public synchronized Answer onPeerDocument(JsonNode document) throws Exception {
        if (!isBackupsNode()) {
            return new Answer(Outcome.REFUSED_NOT_BACKUP, state.version(),
                    "this node is not beside the Backup gateway; settings are mirrored from the Master's node to the Backup's");
        }
        String theirs = document.path("compatibility").asText();
        if (document.path("schema").asInt() != SCHEMA || !compatibility.equals(theirs)) {
            incompatiblePeer = "peer runs version " + theirs + " / schema " + document.path("schema").asInt()
                    + ", this node " + compatibility + " / schema " + SCHEMA;
            return new Answer(Outcome.REFUSED_INCOMPATIBLE, state.version(), incompatiblePeer);
        }
        long version = document.path("version").asLong();
        String checksum = document.path("checksum").asText();
        if (version == state.version() && checksum.equals(state.checksum())) {
            return new Answer(Outcome.UNCHANGED, version, "already in force");
        }
        if (version < state.version()) {
            return new Answer(Outcome.REFUSED_STALE, state.version(), "version " + version + " is older than version " + state.version() + " in force");
        }
        byte[] content;
        try {
            content = crypto.decrypt(document.path("sealed").asText());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new Answer(Outcome.REFUSED_INVALID, state.version(), "the settings document cannot be decrypted with bridge.peer.secret");
        }
        if (!SettingsCrypto.sha256(content).equals(checksum)) {
            return new Answer(Outcome.REFUSED_INVALID, state.version(), "the settings document does not match its checksum");
        }
        ModuleSettings settings;
        try {
            settings = loader.parse(settingsFile + " (from the Master's node)", new String(content, StandardCharsets.UTF_8));
        } catch (InvalidSettingsException e) {
            return new Answer(Outcome.REFUSED_INVALID, state.version(), e.getMessage());
        }
        state.accept(version, checksum, content);
        AtomicFiles.replaceKeepingPrevious(settingsFile, content);
        applier.apply(settings);
        LOG.info("Settings version {} from the Master's node in force on this node", version);
        return new Answer(Outcome.APPLIED, version, "in force");
    }

    public void confirmed(long version) {
        if (version != state.confirmedVersion()) {
            LOG.info("The Backup's node confirmed settings version {}", version);
        }
        state.confirmed(version);
    }

    /** The Master's node sends when the peer holds another version than this node's. */
    public boolean peerNeedsSettings(PeerView peer) {
        return isMastersNode() && hasSettingsToMirror()
                && (peer.settingsVersion() != state.version() || !Objects.equals(peer.settingsChecksum(), state.checksum()));
    }

    public void peerCompatibility(PeerView peer) {
        incompatiblePeer = compatibility.equals(peer.compatibility()) && peer.schema() == SCHEMA ? null
                : "peer node " + peer.node() + " runs version " + peer.compatibility() + " / schema " + peer.schema()
                        + ", this node " + compatibility + " / schema " + SCHEMA;
    }

    /** Why this node is in a redundancy error state, or null. */
    public String errorState(String signatureProblem) {
        if (incompatiblePeer != null) {
            return "incompatible nodes: " + incompatiblePeer;
        }
        if (signatureProblem != null) {
            return "peer signatures fail: " + signatureProblem;
        }
        if (isBackupsNode() && state.version() == 0) {
            return "no settings from the Master's node yet";
        }
        return null;
    }
}
