package com.plantbridge.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.plantbridge.BridgeApplication;

/** A node in its own JVM, so that a test can kill it with SIGKILL: args are the work dir, then key=value overrides. */
public final class ChildNodeMain {

    private ChildNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        BridgeApplication.createMain(Path.of(args[0]), overrides).run();
    }
}
