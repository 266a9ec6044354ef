package com.plantbridge.testing;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;

/**
 * Every thread of this JVM with its whole stack and the locks it holds or waits for, as jstack
 * prints them ({@link ThreadInfo#toString()} cuts each stack after 8 frames, which hides where a
 * deadlock's threads are).
 */
public final class ThreadDump {

    private ThreadDump() {
    }

    public static String all() {
        StringBuilder out = new StringBuilder();
        var threads = ManagementFactory.getThreadMXBean();
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null) {
            out.append("Deadlocked threads (ids): ").append(java.util.Arrays.toString(deadlocked)).append('\n');
        }
        for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
            out.append('"').append(info.getThreadName()).append("\" id=").append(info.getThreadId()).append(' ').append(info.getThreadState());
            if (info.getLockInfo() != null) {
                out.append(" on ").append(info.getLockInfo());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append("\" id=").append(info.getLockOwnerId());
            }
            out.append('\n');
            StackTraceElement[] stack = info.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo monitor : info.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            LockInfo[] synchronizers = info.getLockedSynchronizers();
            if (synchronizers.length > 0) {
                out.append("\tLocked synchronizers:\n");
                for (LockInfo lock : synchronizers) {
                    out.append("\t- ").append(lock).append('\n');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
