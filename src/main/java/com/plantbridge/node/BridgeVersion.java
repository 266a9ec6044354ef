package com.plantbridge.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The application's version, from the build. */
public final class BridgeVersion {

    public static final String NAME = "ignition-maintainx-bridge";
    private static final String VERSION = load();

    private BridgeVersion() {
    }

    public static String version() {
        return VERSION;
    }

    /** Major.minor: two nodes of a pair must agree on it to mirror settings. */
    public static String compatibility() {
        String[] parts = VERSION.split("[.-]");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : VERSION;
    }

    private static String load() {
        try (InputStream in = BridgeVersion.class.getResourceAsStream("/bridge-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
