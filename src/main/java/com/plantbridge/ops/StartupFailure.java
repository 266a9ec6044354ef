package com.plantbridge.ops;

import org.apache.camel.main.Main;

import com.plantbridge.settings.InvalidSettingsException;

/**
 * A node that cannot start says why in one line and exits 1: a controls engineer reads the
 * message (file, key, value), not a Java stack trace.
 */
public final class StartupFailure {

    private StartupFailure() {
    }

    public static void run(Main main, String[] args) {
        int code;
        try {
            code = main.run(args);
        } catch (Exception e) {
            exit(e);
            return;
        }
        System.exit(code);
    }

    public static void exit(Throwable failure) {
        System.err.println("ERROR Node not started: " + reason(failure));
        System.exit(1);
    }

    /** The innermost message the product wrote itself (a bad setting), else the root cause. */
    static String reason(Throwable failure) {
        Throwable ours = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSettingsException || t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                ours = t;
            }
            root = t;
        }
        Throwable chosen = ours != null ? ours : root;
        return chosen.getMessage() == null ? chosen.getClass().getSimpleName() : chosen.getMessage();
    }
}
