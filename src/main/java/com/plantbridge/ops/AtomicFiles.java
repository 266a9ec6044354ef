package com.plantbridge.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Write then rename: a reader, or a node killed halfway, never sees half a file. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) {
        write(target, content, false);
    }

    /** Also keeps what was there before as {@code <name>.prev}. */
    public static void replaceKeepingPrevious(Path target, byte[] content) {
        write(target, content, true);
    }

    private static void write(Path target, byte[] content, boolean keepPrevious) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, content);
            if (keepPrevious && Files.exists(target)) {
                Files.copy(target, target.resolveSibling(target.getFileName() + ".prev"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot be written", e);
        }
    }
}
