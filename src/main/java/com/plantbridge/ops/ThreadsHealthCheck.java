package com.plantbridge.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness only, for what a restart fixes: threads of the JVM deadlocked on each other's locks (a
 * node once deadlocked in a settings change said UP while nothing moved), and sender threads that
 * ended although nobody stopped them. Readiness problems (gateway, MaintainX, peer) never count here.
 */
public final class ThreadsHealthCheck extends AbstractHealthCheck {

    private final Supplier<long[]> deadlocked;
    private final Supplier<List<String>> deadSenders;

    public ThreadsHealthCheck(Supplier<List<String>> deadSenders) {
        this(ThreadsHealthCheck::jvmDeadlocks, deadSenders);
    }

    ThreadsHealthCheck(Supplier<long[]> deadlocked, Supplier<List<String>> deadSenders) {
        super("bridge", "threads");
        this.deadlocked = deadlocked;
        this.deadSenders = deadSenders;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    private static long[] jvmDeadlocks() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] ids = threads.findDeadlockedThreads();
        return ids == null ? new long[0] : ids;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        long[] ids = deadlocked.get();
        if (ids.length > 0) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            List<String> names = Arrays.stream(threads.getThreadInfo(ids)).filter(java.util.Objects::nonNull).map(ThreadInfo::getThreadName).toList();
            builder.detail("deadlockedThreads", String.join(", ", names.isEmpty() ? List.of(ids.length + " threads") : names));
            problems.add(ids.length + " threads deadlocked: " + String.join(", ", names));
        }
        List<String> dead = deadSenders.get();
        if (!dead.isEmpty()) {
            builder.detail("deadSenders", String.join(", ", dead));
            problems.add("sender thread ended unexpectedly for connectors " + String.join(", ", dead));
        }
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.message(String.join("; ", problems) + "; a restart is needed");
            builder.down();
        }
    }
}
