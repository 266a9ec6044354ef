package com.plantbridge.sim.maintainx;

import java.util.LinkedHashMap;
import java.util.Map;

/** Meter and reading representations following the OpenAPI GET /meters and GET /meters/{id} schemas. */
final class MeterJson {

    // The sandbox has no users; MaintainX requires creatorId, so a fixed integration user stands in.
    private static final long INTEGRATION_USER_ID = 1L;

    private MeterJson() {
    }

    static Map<String, Object> meter(Meter meter, boolean expandLastReading, StoredReading lastReading) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", meter.id());
        json.put("assetId", meter.assetId());
        json.put("locationId", meter.locationId());
        json.put("creatorId", INTEGRATION_USER_ID);
        json.put("updaterId", null);
        json.put("name", meter.name());
        json.put("uuid", meter.uuid());
        json.put("description", meter.description());
        json.put("measurementType", meter.measurementType());
        json.put("readingFrequency", null);
        json.put("unit", meter.unit());
        json.put("createdAt", Json.instant(meter.createdAt()));
        json.put("updatedAt", Json.instant(meter.createdAt()));
        json.put("deletedAt", null);
        if (expandLastReading) {
            json.put("lastReading", lastReading == null ? null : lastReading(lastReading));
        }
        return json;
    }

    static Map<String, Object> lastReading(StoredReading reading) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", reading.id());
        json.put("meterId", reading.meterId());
        json.put("value", Json.number(reading.value()));
        json.put("readingDate", Json.instant(reading.readingDate()));
        json.put("createdAt", Json.instant(reading.createdAt()));
        return json;
    }

    /** The 201 item of POST /meterreadings: meterId, value, readingDate, createdAt. */
    static Map<String, Object> createdReading(StoredReading reading) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("meterId", reading.meterId());
        json.put("value", Json.number(reading.value()));
        json.put("readingDate", Json.instant(reading.readingDate()));
        json.put("createdAt", Json.instant(reading.createdAt()));
        return json;
    }
}
