package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/assets/{assetId}/status}, minimal: any asset id exists, only {@code status} is validated,
 * and the latest status per asset is remembered for tests.
 */
final class AssetStatusEndpoint {

    private static final Set<String> STATUSES = Set.of("IGNORE", "OFFLINE", "ONLINE");

    private final Map<Long, String> latest = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    AssetStatusEndpoint(Clock clock) {
        this.clock = clock;
    }

    ApiResponse post(String rawAssetId, byte[] body) {
        long assetId;
        try {
            assetId = Long.parseLong(rawAssetId);
        } catch (NumberFormatException e) {
            return ApiResponse.error(404, "asset Not Found");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return ApiResponse.errors(400, List.of(FieldError.of("Request body is not valid JSON")));
        }
        JsonNode status = root == null ? null : root.get("status");
        if (status == null || !status.isTextual() || !STATUSES.contains(status.textValue())) {
            Object value = status == null || status.isNull() ? null : status.asText();
            return ApiResponse.errors(400, List.of(new FieldError("Invalid enum value", "status", value)));
        }
        latest.put(assetId, status.textValue());
        String now = Json.instant(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Map<String, Object> assetStatus = new LinkedHashMap<>();
        assetStatus.put("id", ids.incrementAndGet());
        assetStatus.put("status", status.textValue());
        assetStatus.put("downtimeType", null);
        assetStatus.put("customStatusId", null);
        assetStatus.put("startedAt", now);
        assetStatus.put("updatedAt", now);
        return ApiResponse.json(201, Map.of("assetStatus", assetStatus));
    }

    String latest(long assetId) {
        return latest.get(assetId);
    }

    void clear() {
        latest.clear();
    }
}
