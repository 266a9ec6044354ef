package com.plantbridge.maintainx;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import com.plantbridge.settings.ConnectorSettings;

/**
 * POSTs batches of readings to MaintainX through camel-http and reports what came back. It never
 * retries (HttpClient's retries are off, see NodeConfiguration): the retry policy (rate limit,
 * backoff, splitting) belongs to {@link ConnectorSender}.
 */
public final class MaintainxClient {

    private static final String OPTIONS = "throwExceptionOnFailure=false&connectTimeout=5000&responseTimeout=30000&copyHeaders=false";

    private final ProducerTemplate template;
    private final String base;
    private final Endpoint readingsEndpoint;
    private final Endpoint metersEndpoint;
    private final Endpoint createMeterEndpoint;
    private final Endpoint assetStatusEndpoint;
    private final Endpoint assetStatusesEndpoint;
    private final String userAgent;
    private final ObjectMapper json;

    public MaintainxClient(CamelContext context, String baseUrl, String userAgent, ObjectMapper json) {
        this.json = json;
        base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.readingsEndpoint = context.getEndpoint(base + "/meterreadings?httpMethod=POST&" + OPTIONS);
        this.metersEndpoint = context.getEndpoint(base + "/meters?httpMethod=GET&" + OPTIONS);
        this.createMeterEndpoint = context.getEndpoint(base + "/meters?httpMethod=POST&" + OPTIONS);
        // The asset's id is in the path: each request names its URL (Exchange.HTTP_URI) on this one endpoint.
        this.assetStatusEndpoint = context.getEndpoint(base + "/assets?httpMethod=POST&" + OPTIONS);
        this.assetStatusesEndpoint = context.getEndpoint(base + "/assetstatuses?httpMethod=GET&" + OPTIONS);
        this.template = context.createProducerTemplate();
        this.userAgent = userAgent;
    }

    public PostOutcome postReadings(ConnectorSettings connector, List<MeterReading> readings) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(toJson(readings));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Readings could not be written as JSON", e);
        }
        Exchange answer = template.send(readingsEndpoint, exchange -> {
            identify(exchange.getMessage(), connector);
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        });
        if (answer.getException() != null) {
            Throwable e = answer.getException();
            return new PostOutcome(0, null, null, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        var message = answer.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        // A 201 echoes every reading back; nothing in it is needed, so it is not turned into text.
        String answerBody = status >= 200 && status < 300 ? null : message.getBody(String.class);
        return new PostOutcome(status, answerBody,
                message.getHeader("X-Rate-Limit-Remaining", Integer.class),
                message.getHeader("X-Rate-Limit-Reset", Long.class), null);
    }

    /** Which of the posted readings and meters a refusal names (see {@link PostOutcome#named}). */
    public PostOutcome.Named named(PostOutcome outcome, List<MeterReading> posted) {
        return outcome.named(posted, json);
    }

    /** A meter's last reading as MaintainX holds it. */
    public record LastReading(double value, Instant readingDate) {
    }

    /**
     * The last reading of each of the given meters ({@code GET /meters?expand=last_reading}, all
     * pages): what MaintainX already holds, to settle batches whose outcome is unknown.
     */
    public Map<Long, LastReading> lastReadings(ConnectorSettings connector, Set<Long> meterIds, RateLimiter limiter)
            throws IOException, InterruptedException {
        Map<Long, LastReading> found = new HashMap<>();
        String cursor = null;
        do {
            if (!limiter.tryAcquire(10_000)) {
                throw new IOException("no request left in the rate limit for GET /meters");
            }
            String query = "expand=last_reading&limit=200" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Exchange answer = template.send(metersEndpoint, exchange -> {
                identify(exchange.getMessage(), connector);
                exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            });
            if (answer.getException() != null) {
                throw new IOException("GET /meters failed: " + answer.getException().getMessage());
            }
            int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (status != 200) {
                throw new IOException("GET /meters answered HTTP " + status);
            }
            JsonNode page = json.readTree(answer.getMessage().getBody(String.class));
            for (JsonNode meter : page.path("meters")) {
                long id = meter.path("id").asLong();
                JsonNode last = meter.path("lastReading");
                if (meterIds.contains(id) && last.isObject() && last.hasNonNull("readingDate")) {
                    found.put(id, new LastReading(last.path("value").asDouble(), Instant.parse(last.path("readingDate").asText())));
                }
            }
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null && found.size() < meterIds.size());
        return found;
    }

    /** Takes a request slot of the token's budget before each request; false: none came in time. */
    @FunctionalInterface
    public interface Slot {
        boolean take() throws InterruptedException;
    }

    /** A meter as GET /meters lists it (only what finding a meter by name needs). */
    public record ListedMeter(long id, String name, LastReading lastReading) {
    }

    /**
     * Every AUTOMATED_SENSOR meter the token sees, with its last reading ({@code GET /meters}, all
     * cursor pages of 200): MaintainX has no filter by name, so a name is looked up in this list.
     */
    public List<ListedMeter> automatedMeters(ConnectorSettings connector, Slot slot) throws IOException, InterruptedException {
        List<ListedMeter> meters = new ArrayList<>();
        String cursor = null;
        do {
            if (!slot.take()) {
                throw new IOException("no request left in the rate limit for GET /meters");
            }
            String query = "measurementType=AUTOMATED_SENSOR&expand=last_reading&limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Exchange answer = template.send(metersEndpoint, exchange -> {
                identify(exchange.getMessage(), connector);
                exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            });
            JsonNode page = okJson(answer, "GET /meters");
            for (JsonNode meter : page.path("meters")) {
                JsonNode last = meter.path("lastReading");
                meters.add(new ListedMeter(meter.path("id").asLong(), meter.path("name").asText(null),
                        last.isObject() && last.hasNonNull("readingDate")
                                ? new LastReading(last.path("value").asDouble(), Instant.parse(last.path("readingDate").asText())) : null));
            }
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return meters;
    }

    /** The body of {@code POST /meters}: an automated meter (a MANUAL one takes 10 reading requests a day). */
    record NewMeter(String name, String unit, String measurementType, Long assetId) {
    }

    /** What {@code POST /meters} answered; {@code meterId} is set on 201. */
    public record Creation(PostOutcome outcome, Long meterId) {
    }

    public Creation createMeter(ConnectorSettings connector, String name, String unit, Long assetId) {
        PostOutcome outcome = post(createMeterEndpoint, null, connector, new NewMeter(name, unit, "AUTOMATED_SENSOR", assetId), true);
        if (!outcome.created()) {
            return new Creation(outcome, null);
        }
        try {
            JsonNode created = json.readTree(outcome.body());
            long id = created.path("id").asLong();
            return id > 0 ? new Creation(outcome, id) : new Creation(new PostOutcome(0, null, outcome.rateRemaining(), outcome.rateResetSeconds(),
                    "POST /meters answered 201 without an id"), null);
        } catch (IOException e) {
            return new Creation(new PostOutcome(0, null, outcome.rateRemaining(), outcome.rateResetSeconds(), "POST /meters answer unreadable: " + e.getMessage()), null);
        }
    }

    /** The body of {@code POST /assets/{id}/status}: the status and when it took effect. */
    record AssetStatusJson(String status, String startedAt) {
    }

    /** {@code POST /assets/{assetId}/status} with the change's status and its moment as {@code startedAt}. */
    public PostOutcome postAssetStatus(ConnectorSettings connector, MeterReading change) {
        return post(assetStatusEndpoint, base + "/assets/" + change.assetId() + "/status", connector,
                new AssetStatusJson(change.status().name(), change.readingDateText()), false);
    }

    /**
     * The asset's current status as MaintainX holds it: the newest of {@code GET /assetstatuses}
     * for the asset (value 1 ONLINE, 0 OFFLINE, date its startedAt); null when it has none, or
     * another status (IGNORE or a custom one) this node never sends.
     */
    public LastReading currentAssetStatus(ConnectorSettings connector, long assetId, Slot slot) throws IOException, InterruptedException {
        if (!slot.take()) {
            throw new IOException("no request left in the rate limit for GET /assetstatuses");
        }
        Exchange answer = template.send(assetStatusesEndpoint, exchange -> {
            identify(exchange.getMessage(), connector);
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "assetId=" + assetId + "&sort=-createdAt&limit=1");
        });
        JsonNode newest = okJson(answer, "GET /assetstatuses").path("assetStatuses").path(0);
        String status = newest.path("status").asText("");
        if (!newest.hasNonNull("startedAt") || !(status.equals("ONLINE") || status.equals("OFFLINE"))) {
            return null;
        }
        return new LastReading(status.equals("ONLINE") ? 1 : 0, Instant.parse(newest.path("startedAt").asText()));
    }

    private JsonNode okJson(Exchange answer, String request) throws IOException {
        if (answer.getException() != null) {
            throw new IOException(request + " failed: " + answer.getException().getMessage());
        }
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status != 200) {
            throw new IOException(request + " answered HTTP " + status);
        }
        return json.readTree(answer.getMessage().getBody(String.class));
    }

    /** A JSON POST; the answer's body is kept when {@code keepBody} (or when it is not a success). */
    private PostOutcome post(Endpoint endpoint, String uri, ConnectorSettings connector, Object body, boolean keepBody) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A request body could not be written as JSON", e);
        }
        Exchange answer = template.send(endpoint, exchange -> {
            identify(exchange.getMessage(), connector);
            if (uri != null) {
                exchange.getMessage().setHeader(Exchange.HTTP_URI, uri);
            }
            exchange.getMessage().setBody(bytes);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        });
        if (answer.getException() != null) {
            Throwable e = answer.getException();
            return new PostOutcome(0, null, null, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        var message = answer.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String answerBody = keepBody || status < 200 || status >= 300 ? message.getBody(String.class) : null;
        return new PostOutcome(status, answerBody, message.getHeader("X-Rate-Limit-Remaining", Integer.class),
                message.getHeader("X-Rate-Limit-Reset", Long.class), null);
    }

    /** Who is asking: the connector's token and organisation, and this application and node. */
    private void identify(org.apache.camel.Message message, ConnectorSettings connector) {
        message.setHeader("Authorization", "Bearer " + connector.token().reveal());
        message.setHeader("User-Agent", userAgent);
        if (connector.organizationId() != null) {
            message.setHeader("x-organization-id", String.valueOf(connector.organizationId()));
        }
    }

    /** One element of the POST /meterreadings body. */
    record ReadingJson(long meterId, Number value, String readingDate) {
    }

    private static List<ReadingJson> toJson(List<MeterReading> readings) {
        List<ReadingJson> items = new ArrayList<>(readings.size());
        for (MeterReading reading : readings) {
            items.add(new ReadingJson(reading.meterId(), reading.value(), reading.readingDateText()));
        }
        return items;
    }
}
