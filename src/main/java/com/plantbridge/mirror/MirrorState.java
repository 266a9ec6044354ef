package com.plantbridge.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Instant;
import java.util.Properties;

import com.plantbridge.node.AtomicFiles;

/**
 * The version of the module settings in force on this node, persisted in the data dir with the
 * Master's copy, so that a restarted Backup's node still holds the settings it can trust.
 */
final class MirrorState {

    private final Path dir;
    private long version;
    private String checksum = "";
    private long confirmedVersion;
    private Instant confirmedAt;

    MirrorState(Path dataDir) {
        this.dir = dataDir.resolve("mirror");
        Path file = dir.resolve("state.properties");
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot be read", e);
            }
            version = Long.parseLong(p.getProperty("version", "0"));
            checksum = p.getProperty("checksum", "");
            confirmedVersion = Long.parseLong(p.getProperty("confirmed-version", "0"));
            String at = p.getProperty("confirmed-at");
            confirmedAt = at == null ? null : Instant.parse(at);
        }
    }

    synchronized long version() {
        return version;
    }

    synchronized String checksum() {
        return checksum;
    }

    synchronized long confirmedVersion() {
        return confirmedVersion;
    }

    synchronized Instant confirmedAt() {
        return confirmedAt;
    }

    /** The settings in force and their bytes, kept as the trusted copy. */
    synchronized void accept(long newVersion, String newChecksum, byte[] content) {
        AtomicFiles.writeSecret(dir.resolve("maintainx.yaml"), content);
        version = newVersion;
        checksum = newChecksum;
        save();
    }

    synchronized void confirmed(long peerVersion) {
        confirmedVersion = peerVersion;
        confirmedAt = Instant.now();
        save();
    }

    synchronized byte[] trustedCopy() {
        try {
            return Files.readAllBytes(dir.resolve("maintainx.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException("the mirrored settings copy in " + dir + " cannot be read", e);
        }
    }

    private void save() {
        Properties p = new Properties();
        p.setProperty("version", String.valueOf(version));
        p.setProperty("checksum", checksum);
        p.setProperty("confirmed-version", String.valueOf(confirmedVersion));
        if (confirmedAt != null) {
            p.setProperty("confirmed-at", confirmedAt.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, "Mirrored module settings: version in force on this node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(dir.resolve("state.properties"), out.toByteArray());
    }
}
