package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code POST /v1/meters}, {@code GET /v1/meters} (cursor pagination) and {@code GET /v1/meters/{id}}. */
final class MetersEndpoint {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 200;
    private static final Set<String> MEASUREMENT_TYPES = Set.of("MANUAL", "IOT_DEVICE", "AUTOMATED_SENSOR");
    private static final String CURSOR_PREFIX = "meter:";

    private final MeterStore meters;
    private final ReadingStore readings;
    private final FaultInjector faults;
    private final Clock clock;

    MetersEndpoint(MeterStore meters, ReadingStore readings, FaultInjector faults, Clock clock) {
        this.meters = meters;
        this.readings = readings;
        this.faults = faults;
        this.clock = clock;
    }

    ApiResponse create(Caller caller, byte[] body) {
        int injected = faults.takeMeterCreateFailure();
        if (injected != 0) {
            return ApiResponse.error(injected, InjectedFailures.message(injected));
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return ApiResponse.errors(400, List.of(FieldError.of("Request body is not valid JSON")));
        } catch (IOException e) {
            return ApiResponse.errors(400, List.of(FieldError.of("Request body could not be read")));
        }
        if (root == null || !root.isObject()) {
            return ApiResponse.errors(400, List.of(FieldError.of("Request body must be an object")));
        }
        List<FieldError> errors = new ArrayList<>();
        String name = requiredText(root, "name", errors);
        String unit = requiredText(root, "unit", errors);
        String description = optionalText(root, "description", errors);
        String type = optionalText(root, "measurementType", errors);
        if (type == null) {
            type = "MANUAL";
        } else if (!MEASUREMENT_TYPES.contains(type)) {
            errors.add(new FieldError("Invalid enum value", "measurementType", type));
        }
        Long assetId = optionalInteger(root, "assetId", errors);
        Long locationId = optionalInteger(root, "locationId", errors);
        if (!errors.isEmpty()) {
            return ApiResponse.errors(400, errors);
        }
        Meter meter = meters.create(name, description, unit, type, assetId, locationId, caller.organizationId(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        faults.runAfterMeterCreate();
        return ApiResponse.json(201, MeterJson.meter(meter, false, null));
    }

    ApiResponse list(Caller caller, QueryParams query) {
        int limit;
        try {
            String raw = query.first("limit");
            limit = raw == null ? DEFAULT_LIMIT : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            return ApiResponse.error(400, "limit must be an integer");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return ApiResponse.error(400, "limit must be between 1 and " + MAX_LIMIT);
        }
        long afterId;
        try {
            afterId = decodeCursor(query.first("cursor"));
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "Invalid cursor");
        }
        boolean expand = query.contains("expand", "last_reading");
        String type = query.first("measurementType");
        if (type != null && !MEASUREMENT_TYPES.contains(type)) {
            return ApiResponse.error(400, "measurementType must be one of " + MEASUREMENT_TYPES);
        }
        // Fetch one extra so we only hand out a cursor when another page really exists.
        List<Meter> page = meters.after(afterId, caller.organizationId(), limit + 1, type);
        boolean more = page.size() > limit;
        List<Meter> visible = more ? page.subList(0, limit) : page;
        List<Object> items = new ArrayList<>(visible.size());
        for (Meter meter : visible) {
            items.add(MeterJson.meter(meter, expand, expand ? readings.last(meter.id()) : null));
        }
        String nextCursor = more ? encodeCursor(visible.get(visible.size() - 1).id()) : null;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("meters", items);
        json.put("nextCursor", nextCursor);
        json.put("nextPageUrl", nextCursor == null ? null : nextPageUrl(nextCursor, limit, expand));
        return ApiResponse.json(200, json);
    }

    ApiResponse get(Caller caller, String rawId, QueryParams query) {
        long id;
        try {
            id = Long.parseLong(rawId);
        } catch (NumberFormatException e) {
            return ApiResponse.error(400, "id must be an integer");
        }
        boolean expand = query.contains("expand", "last_reading");
        return meters.find(id, caller.organizationId())
                .map(meter -> ApiResponse.json(200,
                        Map.of("meter", MeterJson.meter(meter, expand, expand ? readings.last(id) : null))))
                .orElseGet(() -> ApiResponse.error(404, "Not Found."));
    }

    private static String nextPageUrl(String cursor, int limit, boolean expand) {
        return "/v1/meters?cursor=" + cursor + "&limit=" + limit + (expand ? "&expand=last_reading" : "");
    }

    private static String encodeCursor(long lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MIN_VALUE;
        }
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!decoded.startsWith(CURSOR_PREFIX)) {
            throw new IllegalArgumentException("not a meter cursor");
        }
        return Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
    }

    private static String requiredText(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            errors.add(new FieldError("Required", field, null));
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            errors.add(new FieldError("Expected non-empty string", field, node.isValueNode() ? node.asText() : null));
            return null;
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("Expected string", field, node.asText()));
            return null;
        }
        return node.textValue();
    }

    private static Long optionalInteger(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldError("Expected integer", field, node.asText()));
            return null;
        }
        return node.longValue();
    }
}
