package com.plantbridge.maintainx;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import com.plantbridge.reading.LastReading;
import com.plantbridge.reading.MeterReading;
import com.plantbridge.settings.ConnectorSettings;

/**
 * Every request to MaintainX, through camel-http: each takes a slot of its token's budget first and
 * tells the budget what the answer's rate-limit headers said. It never retries (HttpClient's
 * retries are off, see NodeConfiguration): the retry policy (rate limit, backoff, splitting)
 * belongs to {@link ConnectorSender}.
 */
public final class MaintainxClient {

    private static final String OPTIONS = "throwExceptionOnFailure=false&connectTimeout=5000&responseTimeout=30000&copyHeaders=false";

    private final ProducerTemplate template;
    private final String base;
    private final Endpoint readingsEndpoint;
    private final Endpoint metersEndpoint;
    private final Endpoint meterEndpoint;
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
        // Ids are in the path: each request names its URL (Exchange.HTTP_URI) on one endpoint.
        this.meterEndpoint = context.getEndpoint(base + "/meters/0?httpMethod=GET&" + OPTIONS);
        this.createMeterEndpoint = context.getEndpoint(base + "/meters?httpMethod=POST&" + OPTIONS);
        this.assetStatusEndpoint = context.getEndpoint(base + "/assets?httpMethod=POST&" + OPTIONS);
        this.assetStatusesEndpoint = context.getEndpoint(base + "/assetstatuses?httpMethod=GET&" + OPTIONS);
        this.template = context.createProducerTemplate();
        this.userAgent = userAgent;
    }

    /** A request slot of the token's budget: taken before each request, and told what its answer said of the budget. */
    public interface Slot {
        /** False when no slot came in time. */
        boolean take() throws InterruptedException;

        default void answered(Integer limit, Integer remaining, Long resetSeconds) {
        }

        default void tooManyRequests(Long resetSeconds) {
        }

        /** This slot once it has been taken: the request goes at once, and its answer is reported to this slot. */
        default Slot alreadyTaken() {
            Slot self = this;
            return new Slot() {
                @Override
                public boolean take() {
                    return true;
                }

                @Override
                public void answered(Integer limit, Integer remaining, Long resetSeconds) {
                    self.answered(limit, remaining, resetSeconds);
                }

                @Override
                public void tooManyRequests(Long resetSeconds) {
                    self.tooManyRequests(resetSeconds);
                }
            };
        }
    }

    /** {@code POST /meterreadings}; the slot is taken by the caller before it cuts the batch. */
    public PostOutcome postReadings(ConnectorSettings connector, List<MeterReading> readings, Slot slot) throws InterruptedException {
        return post(readingsEndpoint, null, connector, toJson(readings), false, slot);
    }

    /** Which of the posted readings and meters a refusal names (see {@link PostOutcome#named}). */
    public PostOutcome.Named named(PostOutcome outcome, List<MeterReading> posted) {
        return outcome.named(posted, json);
    }

    /** A meter as GET /meters lists it (only what finding a meter or settling a value needs). */
    public record ListedMeter(long id, String name, LastReading lastReading) {
    }

    /** One page of {@code GET /meters?expand=last_reading}; {@code nextCursor} is null on the last. */
    public record MeterPage(List<ListedMeter> meters, String nextCursor) {
    }

    /**
     * One cursor page of 200 meters with their last readings ({@code measurementType} null for
     * every type): MaintainX has no filter by id or name, so this is how many meters are read at once.
     */
    public MeterPage meterPage(ConnectorSettings connector, String measurementType, String cursor, Slot slot) throws IOException, InterruptedException {
        String query = (measurementType == null ? "" : "measurementType=" + measurementType + "&") + "expand=last_reading&limit=200"
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        JsonNode page = okJson(send(metersEndpoint, connector, slot, "GET /meters", m -> m.setHeader(Exchange.HTTP_QUERY, query)), "GET /meters");
        List<ListedMeter> meters = new ArrayList<>();
        for (JsonNode meter : page.path("meters")) {
            meters.add(new ListedMeter(meter.path("id").asLong(), meter.path("name").asText(null), lastReading(meter.path("lastReading"))));
        }
        return new MeterPage(meters, page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null);
    }

    /**
     * Every AUTOMATED_SENSOR meter the token sees, with its last reading (all cursor pages): finding
     * a meter by name needs the whole list.
     */
    public List<ListedMeter> automatedMeters(ConnectorSettings connector, Slot slot) throws IOException, InterruptedException {
        List<ListedMeter> meters = new ArrayList<>();
        String cursor = null;
        do {
            MeterPage page = meterPage(connector, "AUTOMATED_SENSOR", cursor, slot);
            meters.addAll(page.meters());
            cursor = page.nextCursor();
        } while (cursor != null);
        return meters;
    }

    /** What MaintainX holds of one meter: whether it exists for this token, and its last reading (null: none). */
    public record MeterState(boolean exists, LastReading lastReading) {
    }

    /** {@code GET /meters/{id}?expand=last_reading}: one request for one meter. */
    public MeterState meter(ConnectorSettings connector, long meterId, Slot slot) throws IOException, InterruptedException {
        Exchange answer = send(meterEndpoint, connector, slot, "GET /meters/" + meterId, m -> {
            m.setHeader(Exchange.HTTP_URI, base + "/meters/" + meterId);
            m.setHeader(Exchange.HTTP_QUERY, "expand=last_reading");
        });
        if (answer.getException() == null && status(answer) == 404) {
            return new MeterState(false, null);
        }
        return new MeterState(true, lastReading(okJson(answer, "GET /meters/" + meterId).path("meter").path("lastReading")));
    }

    /** The body of {@code POST /meters}: an automated meter (a MANUAL one takes 10 reading requests a day). */
    record NewMeter(String name, String unit, String measurementType, Long assetId) {
    }

    /** What {@code POST /meters} answered; {@code meterId} is set on 201. */
    public record Creation(PostOutcome outcome, Long meterId) {
    }

    public Creation createMeter(ConnectorSettings connector, String name, String unit, Long assetId, Slot slot) throws InterruptedException {
        PostOutcome outcome = post(createMeterEndpoint, null, connector, new NewMeter(name, unit, "AUTOMATED_SENSOR", assetId), true, slot);
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
    public PostOutcome postAssetStatus(ConnectorSettings connector, MeterReading change, Slot slot) throws InterruptedException {
        return post(assetStatusEndpoint, base + "/assets/" + change.assetId() + "/status", connector,
                new AssetStatusJson(change.status().name(), change.readingDateText()), false, slot);
    }

    /**
     * The asset's current status as MaintainX holds it: the newest of {@code GET /assetstatuses}
     * for the asset (value 1 ONLINE, 0 OFFLINE, date its startedAt); null when it has none, or
     * another status (IGNORE or a custom one) this node never sends.
     */
    public LastReading currentAssetStatus(ConnectorSettings connector, long assetId, Slot slot) throws IOException, InterruptedException {
        Exchange answer = send(assetStatusesEndpoint, connector, slot, "GET /assetstatuses",
                m -> m.setHeader(Exchange.HTTP_QUERY, "assetId=" + assetId + "&sort=-createdAt&limit=1"));
        JsonNode newest = okJson(answer, "GET /assetstatuses").path("assetStatuses").path(0);
        String status = newest.path("status").asText("");
        if (!newest.hasNonNull("startedAt") || !(status.equals("ONLINE") || status.equals("OFFLINE"))) {
            return null;
        }
        return new LastReading(status.equals("ONLINE") ? 1 : 0, Instant.parse(newest.path("startedAt").asText()));
    }

    private static LastReading lastReading(JsonNode last) {
        return last.isObject() && last.hasNonNull("readingDate")
                ? new LastReading(last.path("value").asDouble(), Instant.parse(last.path("readingDate").asText())) : null;
    }

    private JsonNode okJson(Exchange answer, String request) throws IOException {
        if (answer.getException() != null) {
            throw new IOException(request + " failed: " + answer.getException().getMessage());
        }
        int status = status(answer);
        if (status != 200) {
            throw new IOException(request + " answered HTTP " + status);
        }
        return json.readTree(answer.getMessage().getBody(String.class));
    }

    private static int status(Exchange answer) {
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    /** A JSON POST; the answer's body is kept when {@code keepBody} (or when it is not a success). */
    private PostOutcome post(Endpoint endpoint, String uri, ConnectorSettings connector, Object body, boolean keepBody, Slot slot)
            throws InterruptedException {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A request body could not be written as JSON", e);
        }
        Exchange answer;
        try {
            answer = send(endpoint, connector, slot, "POST", m -> {
                if (uri != null) {
                    m.setHeader(Exchange.HTTP_URI, uri);
                }
                m.setBody(bytes);
                m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            });
        } catch (IOException e) {
            return new PostOutcome(0, null, null, null, e.getMessage());
        }
        if (answer.getException() != null) {
            Throwable e = answer.getException();
            return new PostOutcome(0, null, null, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        Message message = answer.getMessage();
        int status = status(answer);
        // A 201 of readings echoes every reading back; nothing in it is needed, so it is not turned into text.
        String answerBody = keepBody || status < 200 || status >= 300 ? message.getBody(String.class) : null;
        return new PostOutcome(status, answerBody, message.getHeader("X-Rate-Limit-Remaining", Integer.class),
                message.getHeader("X-Rate-Limit-Reset", Long.class), null);
    }

    private interface Request {
        void prepare(Message message);
    }

    /** The one way out: a slot first, then the request, then what its answer said of the budget. */
    private Exchange send(Endpoint endpoint, ConnectorSettings connector, Slot slot, String what, Request request)
            throws IOException, InterruptedException {
        if (!slot.take()) {
            throw new IOException("no request left in the rate limit for " + what);
        }
        Exchange answer = template.send(endpoint, exchange -> {
            identify(exchange.getMessage(), connector);
            request.prepare(exchange.getMessage());
        });
        if (answer.getException() == null) {
            Message m = answer.getMessage();
            slot.answered(m.getHeader("X-Rate-Limit-Limit", Integer.class), m.getHeader("X-Rate-Limit-Remaining", Integer.class),
                    m.getHeader("X-Rate-Limit-Reset", Long.class));
            if (status(answer) == 429) {
                slot.tooManyRequests(m.getHeader("X-Rate-Limit-Reset", Long.class));
            }
        }
        return answer;
    }

    /** Who is asking: the connector's token and organisation, and this application and node. */
    private void identify(Message message, ConnectorSettings connector) {
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
