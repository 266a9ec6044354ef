package com.plantbridge.ops;

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
