package com.plantbridge.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

import com.plantbridge.node.AtomicFiles;
import com.plantbridge.settings.Secret;

/**
 * The basic-auth users file of Camel's management server (Jolokia), written at every start from
 * bridge.management.user and bridge.management.password into the data dir, owner-only (0600). The
 * file format (Vert.x PropertyFileAuthentication: {@code user.<name> = <password>,<role>}) cannot
 * hold a comma or a line break in a password, so those are refused at start naming the key. With
 * no password the file has no user and every authenticated path answers 401.
 */
public final class ManagementUsers {

    public static final String USER_KEY = "bridge.management.user";
    public static final String PASSWORD_KEY = "bridge.management.password";
    public static final String FILE_NAME = "management-users.properties";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private ManagementUsers() {
    }

    /** Writes the file and returns it; {@code password} empty leaves the file without a user. */
    public static Path write(Path dataDir, String user, Secret password) {
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException(USER_KEY + ": must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String revealed = password.reveal();
        if (revealed.contains(",") || revealed.contains("\n") || revealed.contains("\r") || !revealed.equals(revealed.strip())) {
            throw new IllegalArgumentException(PASSWORD_KEY + ": must not contain a comma or a line break, nor begin or end with a space");
        }
        StringBuilder file = new StringBuilder("# Written by the node at every start from " + USER_KEY + " and " + PASSWORD_KEY + "; edits are lost.\n");
        if (!revealed.isEmpty()) {
            file.append("user.").append(user).append(" = ").append(revealed).append(",operator\n");
            file.append("role.operator = *\n");
        }
        Path target = dataDir.resolve(FILE_NAME);
        AtomicFiles.writeSecret(target, file.toString().getBytes(StandardCharsets.UTF_8));
        return target;
    }
}
