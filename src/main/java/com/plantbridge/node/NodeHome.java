package com.plantbridge.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The folder a node runs from: it holds config/ and routes/, and relative paths in the settings
 * (data dir, module settings file) are taken from it. A node started as
 * {@code java -jar /opt/bridge/bridge.jar} from a home folder must still find /opt/bridge.
 */
public record NodeHome(Path dir) {

    /** System property or environment variable (BRIDGE_HOME); it locates the settings file, so it cannot live in it. */
    public static final String PROPERTY = "bridge.home";

    /**
     * The configured home, else the working directory when it holds config/ or routes/, else the
     * folder of the jar when that does.
     *
     * @throws IllegalStateException with one line naming the folders tried and the setting to use
     */
    public static NodeHome locate(String configured, Path workingDir, Optional<Path> jarDir) {
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured.trim()).toAbsolutePath().normalize();
            if (!isHome(dir)) {
                throw new IllegalStateException("bridge.home: " + dir + " has no config/ or routes/ folder");
            }
            return new NodeHome(dir);
        }
        List<Path> tried = new ArrayList<>();
        tried.add(workingDir.toAbsolutePath().normalize());
        jarDir.map(d -> d.toAbsolutePath().normalize()).filter(d -> !tried.contains(d)).ifPresent(tried::add);
        for (Path dir : tried) {
            if (isHome(dir)) {
                return new NodeHome(dir);
            }
        }
        throw new IllegalStateException("No config/ or routes/ folder in " + String.join(" or ", tried.stream().map(Path::toString).toList())
                + ": start the node from its home folder, or set -Dbridge.home=<folder> (or BRIDGE_HOME)");
    }

    private static boolean isHome(Path dir) {
        return Files.isDirectory(dir.resolve("config")) || Files.isDirectory(dir.resolve("routes"));
    }

    /** A path from the settings: absolute as given, relative to this home otherwise. */
    public Path resolve(String path) {
        return dir.resolve(path).normalize();
    }
}
