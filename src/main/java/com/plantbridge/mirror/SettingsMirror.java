package com.plantbridge.mirror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.AtomicFiles;
import com.plantbridge.peer.PairSettings;
import com.plantbridge.peer.PeerKeys;
import com.plantbridge.redundancy.GatewayRedundancy;
import com.plantbridge.redundancy.PeerView;
import com.plantbridge.redundancy.RedundancyMonitor;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.InvalidSettingsException;
import com.plantbridge.settings.ModuleSettings;
import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.tags.SettingsApplier;

/**
 * The module settings of a redundant pair, as the module keeps them: changed on the Master's node
 * only, mirrored to the Backup's node with a version and checksum, read-only there. Which node is
 * the Master's comes from its gateway's role, never from a local flag. A Master's node that lost
 * its data dir used to restart at version 1 and be refused as stale forever; it now continues
 * after the version the Backup's node holds.
 */
public final class SettingsMirror implements PairSettings {

    /** Version of the settings document's schema; nodes with different schemas do not mirror. */
    public static final int SCHEMA = 1;
    public static final String NO_SETTINGS_YET = "no settings from the Master's node yet";
    private static final Logger LOG = LoggerFactory.getLogger(SettingsMirror.class);

    public enum Outcome { APPLIED, UNCHANGED, REFUSED_STALE, REFUSED_INCOMPATIBLE, REFUSED_INVALID, REFUSED_NOT_BACKUP }

    public record Answer(Outcome outcome, long version, String message) {
    }

    /** A refusal, on either side of a push, for the redundancy error state; logged once per distinct text. */
    private record Refusal(long version, String text) {
    }

    private final Path settingsFile;
    private final MirrorState state;
    private final SettingsCrypto crypto;
    private final SettingsApplier applier;
    private final RedundancyMonitor redundancy;
    private final String compatibility;
    private final ModuleSettingsLoader loader;
    private volatile String lastRejected = "";
    private volatile String incompatiblePeer;
    /** On the Master's node: the Backup's node refused the version this node sent. */
    private volatile Refusal pushRefused;
    /** On the Backup's node: this node refused what the Master's node sent. */
    private volatile Refusal documentRefused;

    public SettingsMirror(Path settingsFile, ModuleSettingsLoader loader, Path dataDir, PeerKeys keys, SettingsApplier applier,
                          RedundancyMonitor redundancy, String compatibility) {
        this.settingsFile = settingsFile;
        this.loader = loader;
        this.state = new MirrorState(dataDir);
        this.crypto = new SettingsCrypto(keys.settingsKey());
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

    /** Reads settings documents with this node's limits. */
    public ModuleSettingsLoader loader() {
        return loader;
    }

    @Override
    public int schema() {
        return SCHEMA;
    }

    @Override
    public String compatibility() {
        return compatibility;
    }

    @Override
    public long version() {
        return state.version();
    }

    /** For signed peer messages only: the checksum is never shown on an unauthenticated page. */
    @Override
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
     * becomes the next version; on the Backup's node any change to the Master's copy is reverted. A
     * refused file is logged once, not at every poll.
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
    public synchronized MirrorDocument outgoingDocument() {
        return new MirrorDocument(state.version(), state.checksum(), SCHEMA, compatibility, crypto.encrypt(state.trustedCopy()));
    }

    public boolean hasSettingsToMirror() {
        return state.version() > 0;
    }

    /** A document from the peer (already signature-checked): stored atomically and put in force. */
    public synchronized Answer onPeerDocument(MirrorDocument document) throws Exception {
        Answer answer = take(document);
        if (answer.outcome() == Outcome.APPLIED || answer.outcome() == Outcome.UNCHANGED) {
            documentRefused = null;
        } else {
            Refusal refusal = new Refusal(document.version(), "settings version " + document.version()
                    + " from the Master's node refused here: " + answer.message());
            if (!refusal.equals(documentRefused)) {
                LOG.warn("Redundancy error: {}", refusal.text());
            }
            documentRefused = refusal;
        }
        return answer;
    }

    private Answer take(MirrorDocument document) throws Exception {
        if (!isBackupsNode()) {
            return new Answer(Outcome.REFUSED_NOT_BACKUP, state.version(),
                    "this node is not beside the Backup gateway; settings are mirrored from the Master's node to the Backup's");
        }
        String theirs = document.compatibility();
        if (document.schema() != SCHEMA || !compatibility.equals(theirs)) {
            incompatiblePeer = "peer runs version " + theirs + " / schema " + document.schema()
                    + ", this node " + compatibility + " / schema " + SCHEMA;
            return new Answer(Outcome.REFUSED_INCOMPATIBLE, state.version(), incompatiblePeer);
        }
        long version = document.version();
        String checksum = Objects.requireNonNullElse(document.checksum(), "");
        if (version == state.version() && checksum.equals(state.checksum())) {
            return new Answer(Outcome.UNCHANGED, version, "already in force");
        }
        if (version <= state.version()) {
            return new Answer(Outcome.REFUSED_STALE, state.version(), "version " + version + " is not newer than version " + state.version() + " in force");
        }
        byte[] content;
        try {
            content = crypto.decrypt(Objects.requireNonNullElse(document.sealed(), ""));
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
        // File, then live settings, then the version: when status shows the version, both are in place.
        AtomicFiles.replaceKeepingPrevious(settingsFile, content);
        applier.apply(settings);
        state.accept(version, checksum, content);
        LOG.info("Settings version {} from the Master's node in force on this node", version);
        return new Answer(Outcome.APPLIED, version, "in force");
    }

    /** The Backup's node's verified answer to a push of this node's current version. */
    public synchronized void pushAnswered(int status, PushAnswer answer) {
        if (status == 200) {
            pushRefused = null;
            if (answer.version() != state.confirmedVersion()) {
                LOG.info("The Backup's node confirmed settings version {}", answer.version());
            }
            state.confirmed(answer.version());
            return;
        }
        if (answer.outcome() == Outcome.REFUSED_STALE) {
            continueAfter(answer.version(), null);
            return;
        }
        Refusal refusal = new Refusal(state.version(), "the Backup's node refuses settings version " + state.version()
                + " (HTTP " + status + "): " + answer.message());
        if (!refusal.equals(pushRefused)) {
            LOG.warn("Redundancy error: {}", refusal.text());
        }
        pushRefused = refusal;
    }

    /** True while the Backup's node refuses the version this node holds: then it is offered again only at the periodic check. */
    public boolean pushRefusedForCurrentVersion() {
        Refusal refusal = pushRefused;
        return refusal != null && refusal.version() == state.version();
    }

    /** The Master's node sends when the peer holds another version than this node's. */
    public boolean peerNeedsSettings(PeerView peer) {
        return isMastersNode() && hasSettingsToMirror()
                && (peer.settingsVersion() != state.version() || !Objects.equals(peer.settingsChecksum(), state.checksum()));
    }

    /** Every verified view of the peer: version compatibility, and the Master's node catching up after a lost data dir. */
    public synchronized void onPeerView(PeerView peer) {
        incompatiblePeer = compatibility.equals(peer.compatibility()) && peer.schema() == SCHEMA ? null
                : "peer node " + peer.node() + " runs version " + peer.compatibility() + " / schema " + peer.schema()
                        + ", this node " + compatibility + " / schema " + SCHEMA;
        if (incompatiblePeer == null && "Backup".equals(peer.role())) {
            continueAfter(peer.settingsVersion(), peer.settingsChecksum());
        }
    }

    /**
     * The Backup's node holds {@code peerVersion}: a Master's node behind it (its data dir lost or
     * restored) continues with max(own, peer's) + 1, or takes the peer's number for the same content.
     */
    private void continueAfter(long peerVersion, String peerChecksum) {
        if (!isMastersNode() || !hasSettingsToMirror() || peerVersion < state.version()) {
            return;
        }
        if (state.checksum().equals(peerChecksum)) {
            if (peerVersion > state.version()) {
                LOG.info("The Backup's node holds these settings as version {}; this node (version {}, data dir lost?) takes that number",
                        peerVersion, state.version());
                state.accept(peerVersion, state.checksum(), state.trustedCopy());
            }
            return;
        }
        long next = Math.max(state.version(), peerVersion) + 1;
        LOG.warn("This node's settings version {} is not newer than version {} held by the Backup's node (data dir lost or restored?);"
                + " this node's settings continue as version {}", state.version(), peerVersion, next);
        state.accept(next, state.checksum(), state.trustedCopy());
    }

    /** Why this node is in a redundancy error state, or null; shown in status and health. */
    @Override
    public String errorState(String peerLinkError) {
        List<String> errors = new ArrayList<>();
        if (incompatiblePeer != null) {
            errors.add("incompatible nodes: " + incompatiblePeer);
        }
        Refusal pushed = pushRefused;
        if (pushed != null && isMastersNode()) {
            errors.add(pushed.text());
        }
        Refusal received = documentRefused;
        if (received != null && isBackupsNode()) {
            errors.add(received.text());
        }
        if (peerLinkError != null) {
            errors.add("peer link: " + peerLinkError);
        }
        String blocker = leadershipBlocker();
        if (blocker != null) {
            errors.add(blocker);
        }
        return errors.isEmpty() ? null : String.join("; ", errors);
    }

    /**
     * The one redundancy error that keeps a Backup's node from leading: it holds no settings from
     * the Master's node. Peer link, version or refusal errors are shown but never block a Backup's
     * node holding a valid copy: an outsider could cause them, and failover must still happen.
     */
    public String leadershipBlocker() {
        return isBackupsNode() && state.version() == 0 ? NO_SETTINGS_YET : null;
    }
}
