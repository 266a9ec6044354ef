package com.plantbridge.sim.maintainx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unauthenticated read-only view for people watching the demo: {@code GET /sandbox/readings} (JSON) and
 * {@code GET /sandbox} (auto-refreshing HTML). Tokens never appear here.
 */
final class SandboxViewHandler implements HttpHandler {

    private static final int PAGE_ROWS = 50;
    private static final byte[] NOT_FOUND = "{\"error\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);

    private final ReadingStore readings;
    private final MeterStore meters;
    private final RequestLog requestLog;

    SandboxViewHandler(ReadingStore readings, MeterStore meters, RequestLog requestLog) {
        this.readings = readings;
        this.meters = meters;
        this.requestLog = requestLog;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        if (!"GET".equals(exchange.getRequestMethod())) {
            HttpResponder.send(exchange, 404, HttpResponder.JSON, NOT_FOUND);
        } else if (path.equals("/sandbox/readings") || path.equals("/sandbox/readings/")) {
            sendReadings(exchange, new QueryParams(exchange.getRequestURI().getRawQuery()));
        } else if (path.equals("/sandbox") || path.equals("/sandbox/")) {
            byte[] html = SandboxPage.render(readings.tail(null, PAGE_ROWS), readings.size(), meters,
                    requestLog.tooManyRequests()).getBytes(StandardCharsets.UTF_8);
            HttpResponder.send(exchange, 200, "text/html; charset=utf-8", html);
        } else {
            HttpResponder.send(exchange, 404, HttpResponder.JSON, NOT_FOUND);
        }
    }

    private void sendReadings(HttpExchange exchange, QueryParams query) throws IOException {
        Long meterId;
        int limit;
        try {
            String rawMeter = query.first("meterId");
            String rawLimit = query.first("limit");
            meterId = rawMeter == null ? null : Long.valueOf(rawMeter);
            limit = rawLimit == null ? Integer.MAX_VALUE : Math.max(0, Integer.parseInt(rawLimit));
        } catch (NumberFormatException e) {
            HttpResponder.send(exchange, 400, HttpResponder.JSON,
                    Json.write(Map.of("error", "meterId and limit must be integers")));
            return;
        }
        List<StoredReading> selected = readings.tail(meterId, limit);
        List<Object> json = new ArrayList<>(selected.size());
        for (StoredReading reading : selected) {
            json.add(publicView(reading));
        }
        HttpResponder.send(exchange, 200, HttpResponder.JSON, Json.write(json));
    }

    private static Map<String, Object> publicView(StoredReading reading) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", reading.id());
        json.put("meterId", reading.meterId());
        json.put("value", Json.number(reading.value()));
        json.put("readingDate", Json.instant(reading.readingDate()));
        json.put("createdAt", Json.instant(reading.createdAt()));
        json.put("organizationId", reading.organizationId());
        json.put("userAgent", reading.userAgent());
        return json;
    }
}
