package com.plantbridge.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

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

    /**
     * Readable and writable by the owner only (0600) from the moment it exists, where the file system
     * has POSIX modes: for keys and their passwords.
     */
    public static void writeOwnerOnly(Path target, byte[] content) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (posix(target)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot be written", e);
        }
    }

    /** A directory only its owner may enter (0700, also when it existed) where the file system has POSIX modes. */
    public static void createOwnerOnlyDirectory(Path dir) {
        try {
            boolean posix = posix(dir);
            if (!Files.isDirectory(dir)) {
                FileAttribute<?>[] attributes = posix
                        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                        : new FileAttribute<?>[0];
                Files.createDirectories(dir.toAbsolutePath().getParent());
                Files.createDirectory(dir, attributes);
            } else if (posix) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot be created", e);
        }
    }

    private static boolean posix(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
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
