package com.plantbridge.maintainx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import com.plantbridge.node.AtomicFiles;

/**
 * The meters found or created for tags without meter-id, kept in the data dir
 * ({@code meters/<connector>.json}, written whole with write-then-rename, owner-only) so that a
 * restart knows them without asking MaintainX. A mapping is saved before the readings that waited
 * for it move on: a crash in between is repaired at start from the file.
 */
final class AutoMeters {

    /** One file: a connector's tag-to-meter mappings. */
    record File(String connector, List<Entry> meters) {
    }

    /** A tag's meter and the name it was found or created under. */
    record Entry(String tag, long meterId, String name) {
    }

    private final Path directory;
    private final ObjectMapper json;
    private final Map<String, Map<String, Entry>> byConnector = new ConcurrentHashMap<>();

    AutoMeters(Path dataDir, ObjectMapper json) {
        this.directory = dataDir.resolve("meters");
        this.json = json;
    }

    /** Reads every connector's file. */
    void load() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                File read = json.readValue(file.toFile(), File.class);
                Map<String, Entry> entries = new ConcurrentHashMap<>();
                read.meters().forEach(e -> entries.put(e.tag(), e));
                byConnector.put(read.connector(), entries);
            }
        }
    }

    long meterOf(String connector, String tag) {
        Entry entry = byConnector.getOrDefault(connector, Map.of()).get(tag);
        return entry == null ? 0 : entry.meterId();
    }

    /** The connector's mappings, by tag path. */
    Map<String, Long> of(String connector) {
        Map<String, Long> meters = new TreeMap<>();
        byConnector.getOrDefault(connector, Map.of()).forEach((tag, e) -> meters.put(tag, e.meterId()));
        return meters;
    }

    Iterable<String> connectors() {
        return new ArrayList<>(byConnector.keySet());
    }

    /** Adds mappings and rewrites the connector's file before returning. */
    synchronized void save(String connector, List<Entry> added) {
        Map<String, Entry> entries = byConnector.computeIfAbsent(connector, c -> new ConcurrentHashMap<>());
        Map<String, Entry> next = new TreeMap<>(entries);
        added.forEach(e -> next.put(e.tag(), e));
        try {
            AtomicFiles.write(directory.resolve(connector + ".json"), json.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new File(connector, new ArrayList<>(next.values()))));
        } catch (IOException e) {
            throw new UncheckedIOException(directory.resolve(connector + ".json") + ": cannot be written", e);
        }
        added.forEach(e -> entries.put(e.tag(), e));
    }
}
