package com.plantbridge.redundancy;

/** Where this node reads its own gateway's redundancy state (ignition.redundancy.source). */
public enum RedundancySource {
    GWINFO, OPCUA;

    public static RedundancySource parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "gwinfo" -> GWINFO;
            case "opcua" -> OPCUA;
            default -> throw new IllegalArgumentException("ignition.redundancy.source: must be gwinfo or opcua, got '" + value + "'");
        };
    }
}
