package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /v1/assets/{assetId}/status} and {@code GET /v1/assetstatuses}, as the OpenAPI
 * document has them: {@code status} (IGNORE, OFFLINE, ONLINE) is required, {@code startedAt}
 * (date-time) is optional and defaults to the request's time; every status is kept, and a status
 * ends when the next one of its asset starts. Asset ids: any id exists unless the test registered
 * assets ({@link MaintainxSandbox#asset}), then the others answer 404 {@code asset Not Found}.
 * The list is sorted by createdAt descending unless {@code sort} says otherwise, filtered by
 * {@code assetId}, and paged with an opaque cursor.
 */
final class AssetStatusEndpoint {

    private static final Set<String> STATUSES = Set.of("IGNORE", "OFFLINE", "ONLINE");
    private static final Set<String> SORTS = Set.of("createdAt", "updatedAt", "startedAt", "endedAt",
            "-createdAt", "-updatedAt", "-startedAt", "-endedAt");
    private static final String CURSOR_PREFIX = "assetstatus:";

    private final List<AssetStatusChange> history = new ArrayList<>();
    private final Set<Long> knownAssets = ConcurrentHashMap.newKeySet();
    private final FaultInjector faults;
    private final Clock clock;

    AssetStatusEndpoint(FaultInjector faults, Clock clock) {
        this.faults = faults;
        this.clock = clock;
    }

    void asset(long assetId) {
        knownAssets.add(assetId);
    }

    ApiResponse post(Caller caller, String rawAssetId, byte[] body) {
        long assetId;
        try {
            assetId = Long.parseLong(rawAssetId);
        } catch (NumberFormatException e) {
            return ApiResponse.error(404, "asset Not Found");
        }
        int injected = faults.takeFailure();
        if (injected != 0) {
            return ApiResponse.error(injected, InjectedFailures.message(injected));
        }
        if (!knownAssets.isEmpty() && !knownAssets.contains(assetId)) {
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
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant startedAt = now;
        JsonNode started = root.get("startedAt");
        if (started != null && !started.isNull()) {
            try {
                startedAt = Instant.parse(started.asText()).truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                return ApiResponse.errors(400, List.of(new FieldError("Expected date-time", "startedAt", started.asText())));
            }
        }
        AssetStatusChange stored;
        synchronized (history) {
            stored = new AssetStatusChange(history.size() + 1, assetId, status.textValue(), startedAt, now, caller.userAgent());
            history.add(stored);
        }
        Map<String, Object> assetStatus = new LinkedHashMap<>();
        assetStatus.put("id", stored.id());
        assetStatus.put("status", stored.status());
        assetStatus.put("downtimeType", null);
        assetStatus.put("customStatusId", null);
        assetStatus.put("startedAt", Json.instant(stored.startedAt()));
        assetStatus.put("updatedAt", Json.instant(now));
        return ApiResponse.json(201, Map.of("assetStatus", assetStatus));
    }

    ApiResponse list(Caller caller, QueryParams query) {
        int limit;
        try {
            String raw = query.first("limit");
            limit = raw == null ? MetersEndpoint.DEFAULT_LIMIT : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            return ApiResponse.error(400, "limit must be an integer");
        }
        if (limit < 1 || limit > MetersEndpoint.MAX_LIMIT) {
            return ApiResponse.error(400, "limit must be between 1 and " + MetersEndpoint.MAX_LIMIT);
        }
        String sort = query.first("sort") == null ? "-createdAt" : query.first("sort");
        if (!SORTS.contains(sort)) {
            return ApiResponse.error(400, "sort must be one of " + SORTS);
        }
        int offset;
        try {
            offset = decodeCursor(query.first("cursor"));
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "Invalid cursor");
        }
        Set<Long> assets = new java.util.HashSet<>();
        for (String value : query.all("assetId")) {
            try {
                assets.add(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return ApiResponse.error(400, "assetId must be an integer");
            }
        }
        List<AssetStatusChange> all = all();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AssetStatusChange change : all) {
            if (assets.isEmpty() || assets.contains(change.assetId())) {
                rows.add(json(change, endedAt(change, all), caller.organizationId()));
            }
        }
        String key = sort.startsWith("-") ? sort.substring(1) : sort;
        Comparator<Map<String, Object>> order = Comparator.comparing(row -> row.get(key) == null ? "" : (String) row.get(key));
        order = order.thenComparing(row -> (Long) row.get("id"));
        rows.sort(sort.startsWith("-") ? order.reversed() : order);
        List<Map<String, Object>> page = rows.subList(Math.min(offset, rows.size()), Math.min(offset + limit, rows.size()));
        String next = offset + limit < rows.size() ? encodeCursor(offset + limit) : null;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("assetStatuses", new ArrayList<>(page));
        answer.put("nextCursor", next);
        answer.put("nextPageUrl", next == null ? null : "/v1/assetstatuses?cursor=" + next + "&limit=" + limit);
        return ApiResponse.json(200, answer);
    }

    private static Instant endedAt(AssetStatusChange change, List<AssetStatusChange> all) {
        for (AssetStatusChange later : all) {
            if (later.assetId() == change.assetId() && later.id() > change.id()) {
                return later.startedAt();
            }
        }
        return null;
    }

    private static Map<String, Object> json(AssetStatusChange change, Instant endedAt, long organizationId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", change.id());
        row.put("customStatusId", null);
        row.put("assetId", change.assetId());
        row.put("status", change.status());
        row.put("downtimeType", null);
        row.put("startedAt", Json.instant(change.startedAt()));
        row.put("endedAt", Json.instant(endedAt));
        row.put("organizationId", organizationId);
        row.put("creatorId", 1L);
        row.put("updaterId", null);
        row.put("createdAt", Json.instant(change.createdAt()));
        row.put("updatedAt", Json.instant(change.createdAt()));
        row.put("deletedAt", null);
        row.put("description", null);
        return row;
    }

    private static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!decoded.startsWith(CURSOR_PREFIX)) {
            throw new IllegalArgumentException("not an asset status cursor");
        }
        return Integer.parseInt(decoded.substring(CURSOR_PREFIX.length()));
    }

    List<AssetStatusChange> all() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    String latest(long assetId) {
        List<AssetStatusChange> all = all();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).assetId() == assetId) {
                return all.get(i).status();
            }
        }
        return null;
    }

    void clear() {
        synchronized (history) {
            history.clear();
        }
    }
}
