package com.plantbridge.sim.maintainx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unauthenticated read-only view for people watching the demo: {@code GET /sandbox} (charts per meter, drawn by
 * the page from {@code GET /sandbox/charts}), {@code GET /sandbox/table} (auto-refreshing table of raw rows) and
 * {@code GET /sandbox/readings} (JSON rows). Tokens never appear here.
 */
final class SandboxViewHandler implements HttpHandler {

    private static final String HTML = "text/html; charset=utf-8";
    private static final int TABLE_ROWS = 50;
    // About 5 minutes of a tag changing every 2 s: long enough to show a failover and the failback after it.
    private static final int CHART_POINTS_PER_METER = 150;
    private static final byte[] NOT_FOUND = Json.write(Map.of("error", "Not Found"));

    private final ReadingStore readings;
    private final MeterStore meters;
    private final RequestLog requestLog;
    private final SandboxControls controls;
    private final byte[] chartPage;

    SandboxViewHandler(ReadingStore readings, MeterStore meters, RequestLog requestLog, SandboxControls controls) {
        this.readings = readings;
        this.meters = meters;
        this.requestLog = requestLog;
        this.controls = controls;
        this.chartPage = resource("sandbox.html");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        if (!"GET".equals(exchange.getRequestMethod())) {
            HttpResponder.send(exchange, 404, HttpResponder.JSON, NOT_FOUND);
        } else if (path.equals("/sandbox/readings") || path.equals("/sandbox/readings/")) {
            sendReadings(exchange, new QueryParams(exchange.getRequestURI().getRawQuery()));
        } else if (path.equals("/sandbox/charts")) {
            ChartData data = ChartData.of(readings.all(), CHART_POINTS_PER_METER, meters,
                    requestLog.tooManyRequests(), controls);
            HttpResponder.send(exchange, 200, HttpResponder.JSON, Json.write(data));
        } else if (path.equals("/sandbox/table")) {
            byte[] html = ReadingsTablePage.render(readings.tail(null, TABLE_ROWS), readings.size(), meters,
                    requestLog.tooManyRequests()).getBytes(StandardCharsets.UTF_8);
            HttpResponder.send(exchange, 200, HTML, html);
        } else if (path.equals("/sandbox") || path.equals("/sandbox/")) {
            HttpResponder.send(exchange, 200, HTML, chartPage);
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

    private static byte[] resource(String name) {
        try (InputStream in = SandboxViewHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Sandbox page " + name + " is missing from the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read sandbox page " + name, e);
        }
    }
}
