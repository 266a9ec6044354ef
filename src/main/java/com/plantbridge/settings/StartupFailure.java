package com.plantbridge.settings;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that cannot start says why in one line and exits 1: a controls engineer reads the
 * message (file, key, value), not a Java stack trace.
 */
public final class StartupFailure {

    private static final Logger LOG = LoggerFactory.getLogger(StartupFailure.class);
    private static final AtomicReference<String> RECORDED = new AtomicReference<>();

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
        String recorded = RECORDED.get();
        if (recorded != null) {
            System.err.println("ERROR Node stopped: " + recorded);
            System.exit(1);
        }
        System.exit(code);
    }

    /**
     * A failure found once the context runs (e.g. the routes cannot be made): one ERROR line, and the
     * node stops, so that the jar exits 1 with the reason rather than running without routes.
     */
    public static void record(CamelContext context, String reason) {
        RECORDED.compareAndSet(null, reason);
        LOG.error("Node stopping: {}", reason);
        Thread stopper = context.getExecutorServiceManager().newThread("startup-failure", context::stop);
        stopper.start();
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
