package com.plantbridge.sim.maintainx;

import java.time.Instant;

/**
 * A meter known to the sandbox.
 *
 * @param organizationId owning organisation, or {@code null} for meters visible to every organisation
 */
record Meter(long id, String uuid, String name, String description, String unit, String measurementType,
             Long assetId, Long locationId, Long organizationId, Instant createdAt) {

    static final String AUTOMATED_SENSOR = "AUTOMATED_SENSOR";

    boolean visibleTo(long organization) {
        return organizationId == null || organizationId == organization;
    }
}
