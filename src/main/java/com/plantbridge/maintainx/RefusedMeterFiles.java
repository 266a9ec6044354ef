package com.plantbridge.maintainx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.plantbridge.settings.ConnectorSettings;

/**
 * Where each connector's refused meters are kept ({@code <data dir>/refused-meters/}), and the
 * one set in force per connector: the one its running sender uses.
 */
final class RefusedMeterFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedMeterFiles.class);

    private final Path directory;
    private final ObjectMapper json;
    private final Map<String, RefusedMeters> inForce = new ConcurrentHashMap<>();

    RefusedMeterFiles(Path dataDir, ObjectMapper json) {
        this.directory = dataDir.resolve("refused-meters");
        this.json = json;
    }

    /** The refused meters of a connector's new sender: those kept for exactly these settings. */
    RefusedMeters open(ConnectorSettings connector) {
        RefusedMeters meters = new RefusedMeters(connector, file(connector.name()), json);
        inForce.put(connector.name(), meters);
        return meters;
    }

    /** The connector's sender stopped for good or its settings changed: its refused meters are forgotten. */
    void discard(String connector) {
        RefusedMeters meters = inForce.remove(connector);
        if (meters != null) {
            meters.discard();
        }
    }

    /** A quarantine replay: the connector's refused meters are forgotten, whether or not it has a sender. */
    void forget(String connector) {
        RefusedMeters meters = inForce.get(connector);
        if (meters != null) {
            meters.clear();
            return;
        }
        try {
            Files.deleteIfExists(file(connector));
        } catch (IOException e) {
            LOG.warn("Connector {}: {} cannot be deleted ({}); after a restart its meters count as refused again",
                    connector, file(connector), e.getMessage());
        }
    }

    /** At start: the files of connectors that have no sender now (disabled or removed since) are forgotten. */
    void forgetAllBut(Set<String> running) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String connector = name.substring(0, name.length() - ".json".length());
                if (!running.contains(connector)) {
                    Files.deleteIfExists(file);
                    LOG.info("Connector {}: its refused meters are forgotten ({} removed): the connector is not enabled", connector, file);
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: refused meters of connectors not enabled could not be removed ({})", directory, e.getMessage());
        }
    }

    private Path file(String connector) {
        return directory.resolve(connector + ".json");
    }
}
