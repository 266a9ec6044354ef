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

    private final ProducerTemplate template;
    private final Endpoint readingsEndpoint;
    private final Endpoint metersEndpoint;
    private final String userAgent;
    private final ObjectMapper json = new ObjectMapper();

    public MaintainxClient(CamelContext context, String baseUrl, String userAgent) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.readingsEndpoint = context.getEndpoint(base + "/meterreadings?httpMethod=POST&throwExceptionOnFailure=false"
                + "&connectTimeout=5000&responseTimeout=30000&copyHeaders=false");
        this.metersEndpoint = context.getEndpoint(base + "/meters?httpMethod=GET&throwExceptionOnFailure=false"
                + "&connectTimeout=5000&responseTimeout=30000&copyHeaders=false");
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
