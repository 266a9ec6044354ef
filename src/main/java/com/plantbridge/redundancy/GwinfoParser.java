package com.plantbridge.redundancy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code /system/gwinfo}: one line of {@code Key=Value;} pairs. Missing and extra fields are
 * tolerated; an Independent gateway may omit the redundancy fields and is then Independent/Active.
 */
public final class GwinfoParser {

    private static final Set<String> ROLES = Set.of("Independent", "Master", "Backup");
    private static final Set<String> LEVELS = Set.of("Active", "Warm", "Cold", "Undecided");

    private GwinfoParser() {
    }

    public static GatewayRedundancy parse(String body, Instant at) {
        Map<String, String> fields = fields(body == null ? "" : body);
        if (!fields.containsKey("ContextStatus") && !fields.containsKey("RedundancyStatus")) {
            return GatewayRedundancy.unknown("gwinfo answer is not Key=Value; pairs", at);
        }
        String role = fields.getOrDefault("RedundancyStatus", "Independent");
        if (!ROLES.contains(role)) {
            return GatewayRedundancy.unknown("gwinfo RedundancyStatus '" + role + "' is not a known role", at);
        }
        String level = fields.get("RedundantNodeActiveStatus");
        if (level == null) {
            if (!"Independent".equals(role)) {
                return GatewayRedundancy.unknown("gwinfo has no RedundantNodeActiveStatus for a " + role, at);
            }
            level = "Active";
        }
        if (!LEVELS.contains(level)) {
            return GatewayRedundancy.unknown("gwinfo RedundantNodeActiveStatus '" + level + "' is not a known level", at);
        }
        String context = fields.get("ContextStatus");
        if (context != null && !"RUNNING".equals(context)) {
            return new GatewayRedundancy(role, "Undecided", at, null);
        }
        return new GatewayRedundancy(role, level, at, null);
    }

    private static Map<String, String> fields(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.trim().split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return fields;
    }
}
