package com.plantbridge.sim.maintainx;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which client sent a reading, for the sandbox page: the bridge names its node at the end of its User-Agent
 * ({@code ignition-maintainx-bridge/<version> (node <name>)}); any other client is shown by its raw User-Agent.
 */
final class SenderNode {

    static final String UNKNOWN = "unknown";

    private static final Pattern NODE = Pattern.compile("\\(node (.+)\\)\\s*$");

    private SenderNode() {
    }

    static String of(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return UNKNOWN;
        }
        Matcher matcher = NODE.matcher(userAgent);
        return matcher.find() ? matcher.group(1).trim() : userAgent.trim();
    }
}
