package com.plantbridge.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSIX modes of the node's files: the data dir is 0700 and every file holding a token or key is
 * at most 0600 (they were 0644, readable by every local user). On a file system without POSIX
 * permissions (Windows) nothing is changed: the directory's ACLs apply.
 */
public final class FileModes {

    private static final Logger LOG = LoggerFactory.getLogger(FileModes.class);
    public static final Set<PosixFilePermission> OWNER_READ_WRITE = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private FileModes() {
    }

    public static boolean isPosix(Path path) {
        FileSystem fs = path.getFileSystem();
        return fs.supportedFileAttributeViews().contains("posix");
    }

    /** Creates the directory if needed and makes it 0700. */
    public static void ownerOnlyDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!isPosix(dir)) {
                return;
            }
            Set<PosixFilePermission> before = Files.getPosixFilePermissions(dir);
            if (!before.equals(OWNER_ALL)) {
                Files.setPosixFilePermissions(dir, OWNER_ALL);
                LOG.info("{}: mode {} -> rwx------ (it holds tokens, keys and the outbox)", dir, PosixFilePermissions.toString(before));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot be created or restricted to its owner", e);
        }
    }

    /**
     * The mode a rewritten file gets: the existing file's (an operator's chmod survives), without
     * group and other access when it holds a secret; 0600 for a new file. Null on non-POSIX systems.
     */
    static Set<PosixFilePermission> forRewrite(Path target, boolean secret) throws IOException {
        if (!isPosix(target)) {
            return null;
        }
        if (!Files.exists(target)) {
            return EnumSet.copyOf(OWNER_READ_WRITE);
        }
        Set<PosixFilePermission> existing = Files.getPosixFilePermissions(target);
        if (!secret) {
            return existing;
        }
        Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
        existing.stream().filter(OWNER_ALL::contains).forEach(owner::add);
        if (!owner.equals(existing)) {
            LOG.info("{}: mode {} -> {} (it holds tokens: no access for group and others)", target,
                    PosixFilePermissions.toString(existing), PosixFilePermissions.toString(owner));
        }
        return owner;
    }
}
