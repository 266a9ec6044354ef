package com.plantbridge.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Write then rename: a reader, or a node killed halfway, never sees half a file. The temporary
 * file gets its final mode before a byte is written, copied from the file it replaces: a new file
 * used to take the umask's 0644, undoing an operator's {@code chmod 600} at every write.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Node state: an existing file's mode is kept; a new file is 0600. */
    public static void write(Path target, byte[] content) {
        write(target, content, false, false);
    }

    /** A file holding a token or key: as {@link #write}, but never readable by group or others. */
    public static void writeSecret(Path target, byte[] content) {
        write(target, content, true, false);
    }

    /** The settings file (it holds tokens); what was there before is kept as {@code <name>.prev}, just as restricted. */
    public static void replaceKeepingPrevious(Path target, byte[] content) {
        write(target, content, true, true);
    }

    private static void write(Path target, byte[] content, boolean secret, boolean keepPrevious) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Set<PosixFilePermission> mode = FileModes.forRewrite(target, secret);
            if (keepPrevious && Files.exists(target)) {
                replace(target.resolveSibling(target.getFileName() + ".prev"), Files.readAllBytes(target), mode);
            }
            replace(target, content, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot be written", e);
        }
    }

    private static void replace(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (mode == null) {
            Files.createFile(tmp);
        } else {
            // Owner-only from its creation (the umask cannot widen it), the final mode once written.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FileModes.OWNER_READ_WRITE));
        }
        Files.write(tmp, content);
        if (mode != null) {
            Files.setPosixFilePermissions(tmp, mode);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
