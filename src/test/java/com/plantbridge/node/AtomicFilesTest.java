package com.plantbridge.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileModes.isPosix(dir), "file modes are POSIX");
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void aNewFileIsReadableByItsOwnerOnly() throws Exception {
        Path state = dir.resolve("node-state.properties");
        Path secret = dir.resolve("mirror/maintainx.yaml");

        AtomicFiles.write(state, "a=1".getBytes());
        AtomicFiles.writeSecret(secret, "token: t".getBytes());

        assertThat(mode(state)).isEqualTo("rw-------");
        assertThat(mode(secret)).isEqualTo("rw-------");
        assertThat(Files.readString(secret)).isEqualTo("token: t");
        assertThat(Files.exists(dir.resolve("mirror/maintainx.yaml.tmp"))).isFalse();
    }

    @Test
    void anOperatorsChmodSurvivesTheNextWrite() throws Exception {
        Path state = dir.resolve("node-state.properties");
        AtomicFiles.write(state, "a=1".getBytes());
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r-----"));
        Path settings = dir.resolve("maintainx.yaml");
        AtomicFiles.replaceKeepingPrevious(settings, "v1".getBytes());
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("r--------"));

        AtomicFiles.write(state, "a=2".getBytes());
        AtomicFiles.replaceKeepingPrevious(settings, "v2".getBytes());

        assertThat(mode(state)).isEqualTo("rw-r-----");
        assertThat(Files.readString(state)).isEqualTo("a=2");
        assertThat(mode(settings)).isEqualTo("r--------");
        assertThat(Files.readString(settings)).isEqualTo("v2");
    }

    @Test
    void aFileHoldingTokensLosesGroupAndOtherAccessAndItsPreviousCopyToo() throws Exception {
        Path settings = dir.resolve("maintainx.yaml");
        Files.writeString(settings, "token: old");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.replaceKeepingPrevious(settings, "token: new".getBytes());

        assertThat(mode(settings)).isEqualTo("rw-------");
        assertThat(Files.readString(settings)).isEqualTo("token: new");
        Path previous = dir.resolve("maintainx.yaml.prev");
        assertThat(Files.readString(previous)).isEqualTo("token: old");
        assertThat(mode(previous)).isEqualTo("rw-------");
    }

    @Test
    void theDataDirIsMadeOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        FileModes.ownerOnlyDirectory(data);
        assertThat(mode(data)).isEqualTo("rwx------");

        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        FileModes.ownerOnlyDirectory(data);
        assertThat(mode(data)).isEqualTo("rwx------");
    }
}
