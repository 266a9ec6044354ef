package com.plantbridge.settings;

/** One tag of a connector and the MaintainX meter its values go to. */
public record TagSettings(String path, long meterId, Double deadband) {

    /** The tag's own deadband when it has one, the connector's otherwise. */
    public double deadbandOr(double connectorDefault) {
        return deadband != null ? deadband : connectorDefault;
    }
}
