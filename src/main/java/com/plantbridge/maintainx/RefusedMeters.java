package com.plantbridge.maintainx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.node.AtomicFiles;
import com.plantbridge.settings.ConnectorSettings;

/**
 * The meters MaintainX refused (404, or a 400 naming the meter) for one connector. Their readings
 * go straight to quarantine instead of making every batch that holds one be split again, which
 * spent the request budget. Kept in the data dir ({@code refused-meters/<connector>.json},
 * written whole with write-then-rename, owner-only) with a fingerprint of the connector's
 * settings, so that a restart does not ask MaintainX about them again (it did: every restart
 * split batches again until each refused meter was found once more). Forgotten, on disk too,
 * when the connector's settings change (while the node runs or while it is down) or its
 * quarantine is replayed. A file that cannot be read is reported and the connector starts without
 * it: MaintainX is asked again.
 */
public final class RefusedMeters {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedMeters.class);
    private static final int IDS_LOGGED = 20;

    /** A refused meter, the tag that feeds it, why and since when. */
    public record RefusedMeter(long meterId, String tag, String reason, Instant since) {
    }

    /** What the file holds: the meters, and the fingerprint of the connector's settings they were refused under. */
    record Saved(String connector, String settings, List<RefusedMeter> meters) {
    }

    private final String connector;
    private final Path file;
    private final String settings;
    private final ObjectMapper json;
    private final Map<Long, RefusedMeter> meters = new ConcurrentHashMap<>();
    // Guarded by this.
    private boolean discarded;
    private volatile String fileProblem;

    /** The connector's refused meters as its file holds them for these settings; none if the file is missing, unreadable or from other settings. */
    RefusedMeters(ConnectorSettings connector, Path file, ObjectMapper json) {
        this.connector = connector.name();
        this.file = file;
        this.settings = fingerprint(connector);
        this.json = json;
        load();
    }

    private void load() {
        Saved saved;
        try {
            saved = json.readValue(Files.readAllBytes(file), Saved.class);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | RuntimeException e) {
            fileProblem = file + ": cannot be read (" + why(e) + ")";
            LOG.warn("Connector {}: {}; starting without the refused meters it held: MaintainX is asked about them again", connector, fileProblem);
            return;
        }
        if (!settings.equals(saved.settings())) {
            LOG.info("Connector {}: the {} meters MaintainX refused are forgotten: the connector's settings changed since; their readings are sent again",
                    connector, saved.meters().size());
            delete();
            return;
        }
        saved.meters().forEach(m -> meters.put(m.meterId(), m));
        if (!meters.isEmpty()) {
            LOG.info("Connector {}: {} meters MaintainX refused before the restart are still refused ({}); their readings go to quarantine until"
                    + " the connector's settings change or its quarantine is replayed", connector, meters.size(), ids(meters.keySet()));
        }
    }

    public void remember(long meterId, String tag, String reason) {
        remember(Map.of(meterId, tag), reason);
    }

    /** Remembers the meters (id to tag) of one refusal; the file is written once for all of them. */
    public synchronized void remember(Map<Long, String> tagsByMeter, String reason) {
        Instant now = Instant.now();
        List<Long> added = new ArrayList<>();
        tagsByMeter.forEach((meterId, tag) -> {
            if (meters.putIfAbsent(meterId, new RefusedMeter(meterId, tag, reason, now)) == null) {
                added.add(meterId);
                LOG.warn("Connector {}: MaintainX refuses meter {} (tag {}): {}; its readings go to quarantine until the connector's settings change or its quarantine is replayed",
                        connector, meterId, tag, reason);
            }
        });
        if (!added.isEmpty()) {
            save();
        }
    }

    public Optional<RefusedMeter> find(long meterId) {
        return Optional.ofNullable(meters.get(meterId));
    }

    public List<RefusedMeter> all() {
        return meters.values().stream().sorted(Comparator.comparingLong(RefusedMeter::meterId)).toList();
    }

    /** Why the file could not be read or written, or null. */
    public String fileProblem() {
        return fileProblem;
    }

    /** Forgets every refused meter, on disk too (the connector's quarantine is being replayed). */
    public synchronized void clear() {
        if (!meters.isEmpty()) {
            LOG.info("Connector {}: refused meters {} forgotten; their readings are sent again", connector, ids(meters.keySet()));
            meters.clear();
        }
        delete();
    }

    /** The connector's settings changed or it stopped: forgets them, on disk too, and writes nothing this sender still learns. */
    synchronized void discard() {
        discarded = true;
        meters.clear();
        delete();
    }

    private void save() {
        if (discarded) {
            return;
        }
        try {
            AtomicFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Saved(connector, settings, all())));
            fileProblem = null;
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            if (fileProblem == null) {
                LOG.warn("Connector {}: {} cannot be written ({}); the refused meters are kept in memory only", connector, file, cause.toString());
            }
            fileProblem = file + ": cannot be written (" + cause + ")";
        }
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
            fileProblem = null;
        } catch (IOException e) {
            fileProblem = file + ": cannot be deleted (" + e.getMessage() + ")";
            LOG.warn("Connector {}: {}", connector, fileProblem);
        }
    }

    private static String why(Exception e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException invalid && invalid.getLocation() != null) {
            return "not valid JSON at line " + invalid.getLocation().getLineNr() + ", column " + invalid.getLocation().getColumnNr();
        }
        return String.valueOf(e.getMessage());
    }

    private static String ids(java.util.Set<Long> ids) {
        List<Long> sorted = ids.stream().sorted().toList();
        return sorted.size() <= IDS_LOGGED ? sorted.toString()
                : sorted.subList(0, IDS_LOGGED) + " and " + (sorted.size() - IDS_LOGGED) + " more";
    }

    /** Changes with any setting of the connector, its token included (the token is not recoverable from it). */
    private static String fingerprint(ConnectorSettings connector) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(connector.toString().getBytes(StandardCharsets.UTF_8));
            sha256.update(connector.token().reveal().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
