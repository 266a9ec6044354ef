package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MaintainxSandboxTest {

    private static final String TOKEN = "test-token-123";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MaintainxSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = MaintainxSandbox.start(0).token(TOKEN).meter(42, "Boiler temperature").meter(43, "Pump pressure");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void storesAcceptedReadingsAndAnswers201() throws Exception {
        String date = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS).toString();
        HttpResponse<String> response = postReadings(TOKEN,
                "[{\"meterId\":42,\"value\":21.5,\"readingDate\":\"" + date + "\"},{\"meterId\":43,\"value\":120}]");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body).hasSize(2);
        assertThat(body.get(0).get("meterId").asLong()).isEqualTo(42);
        assertThat(body.get(0).get("value").asDouble()).isEqualTo(21.5);
        assertThat(Instant.parse(body.get(0).get("readingDate").asText())).isEqualTo(Instant.parse(date));
        assertThat(body.get(0).get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(body.get(1).get("value").toString()).isEqualTo("120");
        assertThat(body.get(1).get("readingDate").isNull()).isTrue();

        List<StoredReading> stored = sandbox.readings(42);
        assertThat(stored).hasSize(1);
        StoredReading reading = stored.get(0);
        assertThat(reading.value()).isEqualTo(21.5);
        assertThat(reading.readingDate()).isEqualTo(Instant.parse(date));
        assertThat(reading.token()).isEqualTo(TOKEN);
        assertThat(reading.userAgent()).isEqualTo("plantbridge-test/1.0");
        assertThat(reading.organizationId()).isNull();
        assertThat(reading.id()).startsWith("42-");
        assertThat(reading.toString()).doesNotContain(TOKEN);
        assertThat(sandbox.readings()).hasSize(2);
        assertThat(sandbox.readings(43).get(0).readingDate()).isNull();

        RequestRecord record = sandbox.requests().get(0);
        assertThat(record.method()).isEqualTo("POST");
        assertThat(record.path()).isEqualTo("/v1/meterreadings");
        assertThat(record.status()).isEqualTo(201);
        assertThat(record.readingCount()).isEqualTo(2);
        assertThat(record.token()).isEqualTo(TOKEN);
        assertThat(record.toString()).doesNotContain(TOKEN);
        assertThat(response.headers().firstValue("X-Rate-Limit-Limit")).contains("100");
        assertThat(response.headers().firstValue("X-Rate-Limit-Remaining")).contains("99");
    }

    @Test
    void takeReadingsHandsOutEachStoredReadingOnceAndKeepsTheMetersHistory() throws Exception {
        Instant old = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        sandbox.history(42, 1.0, old);
        assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":2},{\"meterId\":43,\"value\":3}]").statusCode()).isEqualTo(201);

        assertThat(sandbox.takeReadings()).extracting(StoredReading::value).containsExactly(2.0, 3.0);
        assertThat(sandbox.takeReadings()).isEmpty();
        assertThat(sandbox.readings()).isEmpty();

        assertThat(postReadings(TOKEN, "[{\"meterId\":43,\"value\":4}]").statusCode()).isEqualTo(201);
        assertThat(sandbox.takeReadings()).extracting(StoredReading::value).containsExactly(4.0);
        JsonNode meter = JSON.readTree(get("/meters/42?expand=last_reading", TOKEN).body());
        assertThat(meter.at("/meter/lastReading/value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void datesGoOutInUtcWithExactlyThreeFractionDigits() {
        assertThat(Json.instant(Instant.parse("2026-11-26T00:59:10Z"))).isEqualTo("2026-11-26T00:59:10.000Z");
        assertThat(Json.instant(Instant.parse("2026-11-26T00:59:10.120Z"))).isEqualTo("2026-11-26T00:59:10.120Z");
        assertThat(Json.instant(Instant.parse("2026-11-26T00:59:10.123456789Z"))).isEqualTo("2026-11-26T00:59:10.123Z");
        assertThat(Json.instant(Instant.parse("2026-11-26T00:59:10.000400Z"))).isEqualTo("2026-11-26T00:59:10.000Z");
        assertThat(Json.instant(null)).isNull();
    }

    @Test
    void answers401WithoutOrWithUnknownToken() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/meterreadings"))
                .POST(HttpRequest.BodyPublishers.ofString("[{\"meterId\":42,\"value\":1}]")));
        HttpResponse<String> wrong = postReadings("nope", "[{\"meterId\":42,\"value\":1}]");

        for (HttpResponse<String> response : List.of(missing, wrong)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("Unauthorized");
            assertThat(response.headers().firstValue("X-Rate-Limit-Remaining")).isPresent();
            assertThat(response.headers().firstValue("X-Rate-Limit-Reset")).isPresent();
        }
        assertThat(sandbox.readings()).isEmpty();
    }

    @Test
    void revokedTokenGets401AndForbiddenTokenGets403() throws Exception {
        sandbox.token("other");
        sandbox.revoke(TOKEN);
        sandbox.forbid("other");

        assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":1}]").statusCode()).isEqualTo(401);
        HttpResponse<String> forbidden = postReadings("other", "[{\"meterId\":42,\"value\":1}]");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(forbidden.body()).at("/errors/0/error").asText()).isEqualTo("Forbidden");
        assertThat(sandbox.readings()).isEmpty();
    }

    @Test
    void multiOrganizationTokenNeedsHeader() throws Exception {
        sandbox.token("multi", 7, 8);

        HttpResponse<String> missing = postReadings("multi", "[{\"meterId\":42,\"value\":1}]");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).at("/errors/0/error").asText()).contains("x-organization-id");

        HttpResponse<String> other = send(readingsRequest("multi", "[{\"meterId\":42,\"value\":1}]")
                .header("x-organization-id", "9"));
        assertThat(other.statusCode()).isEqualTo(403);

        HttpResponse<String> ok = send(readingsRequest("multi", "[{\"meterId\":42,\"value\":1}]")
                .header("x-organization-id", "7"));
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(sandbox.readings()).singleElement()
                .satisfies(r -> assertThat(r.organizationId()).isEqualTo("7"));
        assertThat(sandbox.requests()).extracting(RequestRecord::organizationId).containsExactly(null, "9", "7");
    }

    @Test
    void rejectsStringValueAndStaleDateAtomically() throws Exception {
        HttpResponse<String> stringValue = postReadings(TOKEN,
                "[{\"meterId\":42,\"value\":1},{\"meterId\":42,\"value\":\"12\"}]");
        assertThat(stringValue.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(stringValue.body()).at("/errors/0");
        assertThat(error.get("fieldPath").asText()).isEqualTo("[1].value");
        assertThat(error.get("fieldValue").asText()).isEqualTo("12");

        String fourDaysAgo = Instant.now().minus(4, ChronoUnit.DAYS).toString();
        HttpResponse<String> stale = postReadings(TOKEN,
                "[{\"meterId\":42,\"value\":1,\"readingDate\":\"" + fourDaysAgo + "\"}]");
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(stale.body()).at("/errors/0/fieldPath").asText()).isEqualTo("[0].readingDate");

        assertThat(postReadings(TOKEN, "{\"meterId\":42,\"value\":1}").statusCode()).isEqualTo(400);
        assertThat(postReadings(TOKEN, "[{\"value\":1}]").statusCode()).isEqualTo(400);
        assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":1}] x").statusCode()).isEqualTo(400);
        assertThat(sandbox.readings()).isEmpty();
    }

    @Test
    void unknownMeterIs404AndStoresNothing() throws Exception {
        HttpResponse<String> response = postReadings(TOKEN,
                "[{\"meterId\":42,\"value\":1},{\"meterId\":999,\"value\":2}]");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("meter Not Found");
        assertThat(sandbox.readings()).isEmpty();
    }

    @Test
    void autoCreatesUnknownMetersWhenEnabled() throws Exception {
        sandbox.autoCreateMeters(true);

        assertThat(postReadings(TOKEN, "[{\"meterId\":999,\"value\":2}]").statusCode()).isEqualTo(201);
        assertThat(get("/meters/999", TOKEN).statusCode()).isEqualTo(200);
        assertThat(sandbox.readings(999)).hasSize(1);
    }

    @Test
    void rateLimitHeadersCountDownThen429() throws Exception {
        sandbox.rateLimit(3, Duration.ofSeconds(60));
        List<String> remaining = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = postReadings(TOKEN, "[{\"meterId\":42,\"value\":" + i + "}]");
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.headers().firstValue("X-Rate-Limit-Limit")).contains("3");
            remaining.add(response.headers().firstValue("X-Rate-Limit-Remaining").orElseThrow());
        }
        assertThat(remaining).containsExactly("2", "1", "0");

        HttpResponse<String> limited = postReadings(TOKEN, "[{\"meterId\":42,\"value\":9}]");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(limited.body()).get("error").asText()).startsWith("Too Many Requests");
        assertThat(limited.headers().firstValue("X-Rate-Limit-Remaining")).contains("0");
        assertThat(Long.parseLong(limited.headers().firstValue("X-Rate-Limit-Reset").orElseThrow())).isBetween(1L, 60L);
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
        assertThat(sandbox.tooManyRequestsCount()).isEqualTo(1);
        assertThat(sandbox.readings()).hasSize(3);
    }

    @Test
    void tokensOfOneOrganisationShareItsBudgetAndTheHeadersNameTheStricterLimit() throws Exception {
        sandbox.token("second-user");
        sandbox.rateLimit(3, Duration.ofSeconds(60));
        sandbox.organizationRateLimit(4);
        for (int i = 0; i < 3; i++) {
            assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":" + i + "}]").statusCode()).isEqualTo(201);
        }
        HttpResponse<String> lastOfOrganisation = postReadings("second-user", "[{\"meterId\":43,\"value\":1}]");
        assertThat(lastOfOrganisation.statusCode()).isEqualTo(201);
        // The second user has 2 of its own 3 left, the organisation none: the headers say the organisation's.
        assertThat(lastOfOrganisation.headers().firstValue("X-Rate-Limit-Limit")).contains("4");
        assertThat(lastOfOrganisation.headers().firstValue("X-Rate-Limit-Remaining")).contains("0");

        HttpResponse<String> refused = postReadings("second-user", "[{\"meterId\":43,\"value\":2}]");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(sandbox.readings()).hasSize(4);
    }

    @Test
    void rateLimitWindowResets() throws Exception {
        sandbox.rateLimit(1, Duration.ofSeconds(1));
        assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":1}]").statusCode()).isEqualTo(201);
        HttpResponse<String> limited = postReadings(TOKEN, "[{\"meterId\":42,\"value\":2}]");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("X-Rate-Limit-Reset")).contains("1");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> postReadings(TOKEN, "[{\"meterId\":42,\"value\":3}]").statusCode() == 201);
        assertThat(sandbox.readings()).extracting(StoredReading::value).containsExactly(1.0, 3.0);
    }

    @Test
    void unlimitedNeverAnswers429() throws Exception {
        sandbox.rateLimit(1, Duration.ofSeconds(60));
        sandbox.unlimited();
        for (int i = 0; i < 5; i++) {
            assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":1}]").statusCode()).isEqualTo(201);
        }
        assertThat(sandbox.tooManyRequestsCount()).isZero();
    }

    @Test
    void failNextAnswersErrorThenRecovers() throws Exception {
        sandbox.failNext(1, 500);

        HttpResponse<String> failed = postReadings(TOKEN, "[{\"meterId\":42,\"value\":1}]");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).get("error").asText()).isNotBlank();
        assertThat(sandbox.readings()).isEmpty();

        assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":1}]").statusCode()).isEqualTo(201);
        assertThat(sandbox.readings()).hasSize(1);
    }

    @Test
    void dropConnectionNextFailsWithIoException() throws Exception {
        sandbox.dropConnectionNext(1);

        assertThatThrownBy(() -> postReadings(TOKEN, "[{\"meterId\":42,\"value\":1}]")).isInstanceOf(IOException.class);
        assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":2}]").statusCode()).isEqualTo(201);
        assertThat(sandbox.readings()).extracting(StoredReading::value).containsExactly(2.0);
        assertThat(sandbox.requests()).extracting(RequestRecord::status).containsExactly(RequestRecord.DROPPED, 201);
    }

    @Test
    void rejectWhenNamesOffendingIndex() throws Exception {
        sandbox.rejectWhen(r -> r.value() < 0, "negative values are not allowed");

        HttpResponse<String> response = postReadings(TOKEN,
                "[{\"meterId\":42,\"value\":1},{\"meterId\":43,\"value\":2},{\"meterId\":42,\"value\":-5}]");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).at("/errors/0");
        assertThat(error.get("error").asText()).isEqualTo("negative values are not allowed");
        assertThat(error.get("fieldPath").asText()).isEqualTo("[2]");
        assertThat(sandbox.readings()).isEmpty();

        sandbox.reset();
        assertThat(postReadings(TOKEN, "[{\"meterId\":42,\"value\":-5}]").statusCode()).isEqualTo(201);
    }

    @Test
    void metersPaginateWithLastReading() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/meters"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Line 3 vibration\",\"unit\":\"G-Force\",\"measurementType\":\"AUTOMATED_SENSOR\",\"assetId\":5}")));
        assertThat(created.statusCode()).isEqualTo(201);
        long newId = JSON.readTree(created.body()).get("id").asLong();
        assertThat(newId).isEqualTo(44);
        sandbox.meter(45, "Flow").meter(46, "Level");
        postReadings(TOKEN, "[{\"meterId\":42,\"value\":1},{\"meterId\":42,\"value\":7.25},{\"meterId\":45,\"value\":3}]");

        List<JsonNode> meters = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = "/meters?expand=last_reading&limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> page = get(query, TOKEN);
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            assertThat(body.get("meters").size()).isLessThanOrEqualTo(2);
            body.get("meters").forEach(meters::add);
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(meters).extracting(m -> m.get("id").asLong()).containsExactly(42L, 43L, 44L, 45L, 46L);
        assertThat(meters.get(0).at("/lastReading/value").asDouble()).isEqualTo(7.25);
        assertThat(meters.get(0).at("/lastReading/meterId").asLong()).isEqualTo(42);
        assertThat(meters.get(0).at("/lastReading/createdAt").asText()).isNotBlank();
        assertThat(meters.get(1).get("lastReading").isNull()).isTrue();
        assertThat(meters.get(2).get("measurementType").asText()).isEqualTo("AUTOMATED_SENSOR");
        assertThat(meters.get(2).get("assetId").asLong()).isEqualTo(5);
        assertThat(meters.get(3).at("/lastReading/value").asDouble()).isEqualTo(3);

        HttpResponse<String> single = get("/meters/42?expand=last_reading", TOKEN);
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(single.body()).at("/meter/name").asText()).isEqualTo("Boiler temperature");
        assertThat(JSON.readTree(single.body()).at("/meter/lastReading/value").asDouble()).isEqualTo(7.25);
        assertThat(get("/meters/4242", TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/meters?limit=201", TOKEN).statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(get("/meters", TOKEN).body()).get("meters").get(0).has("lastReading")).isFalse();
    }

    @Test
    void setsAssetStatus() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/assets/5678/status"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"OFFLINE\"}")));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).at("/assetStatus/status").asText()).isEqualTo("OFFLINE");
        assertThat(sandbox.assetStatus(5678)).isEqualTo("OFFLINE");
    }

    @Test
    void viewerShowsReadingsWithoutTokens() throws Exception {
        postReadings(TOKEN, "[{\"meterId\":42,\"value\":1},{\"meterId\":43,\"value\":2}]");

        String base = sandbox.baseUrl().replace("/v1", "");
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/readings")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(json.body())).extracting(n -> n.get("meterId").asLong()).containsExactly(42L, 43L);
        assertThat(json.body()).doesNotContain(TOKEN);

        HttpResponse<String> filtered = http.send(HttpRequest.newBuilder(
                URI.create(base + "/sandbox/readings?meterId=43")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(filtered.body())).hasSize(1);

        HttpResponse<String> table = viewer("/table");
        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(table.body()).contains("http-equiv=\"refresh\" content=\"2\"", "Boiler temperature")
                .doesNotContain(TOKEN);
    }

    @Test
    void chartDataGroupsReadingsPerMeterInReadingDateOrderMarkedByTheSendingNode() throws Exception {
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        postReadingsAs("ignition-maintainx-bridge/1.0 (node master-node)", "[" + reading(42, 20.5, t)
                + "," + reading(43, 1, t) + "," + reading(42, 21, t.plusSeconds(2)) + "]");
        // The backup's first reading is dated before the master's last one: the chart orders by readingDate.
        postReadingsAs("ignition-maintainx-bridge/1.0 (node backup-node)", "[" + reading(42, 20.75, t.plusSeconds(1))
                + "," + reading(42, 22, t.plusSeconds(3)) + "]");
        postReadingsAs("curl/8.5.0", "[{\"meterId\":43,\"value\":2}]");

        JsonNode charts = charts();

        assertThat(charts.get("nodes")).extracting(JsonNode::asText)
                .containsExactly("master-node", "backup-node", "curl/8.5.0");
        assertThat(charts.get("readingsStored").asInt()).isEqualTo(6);
        assertThat(charts.get("meters")).extracting(m -> m.get("meterId").asLong()).containsExactly(42L, 43L);
        JsonNode boiler = charts.get("meters").get(0);
        assertThat(boiler.get("name").asText()).isEqualTo("Boiler temperature");
        assertThat(boiler.get("readings")).extracting(r -> r.get("node").asText())
                .containsExactly("master-node", "backup-node", "master-node", "backup-node");
        assertThat(boiler.get("readings")).extracting(r -> r.get("value").asDouble())
                .containsExactly(20.5, 20.75, 21.0, 22.0);
        assertThat(boiler.get("readings")).extracting(r -> Instant.parse(r.get("readingDate").asText()))
                .containsExactly(t, t.plusSeconds(1), t.plusSeconds(2), t.plusSeconds(3));
        JsonNode pump = charts.get("meters").get(1).get("readings");
        assertThat(pump).extracting(r -> r.get("node").asText()).containsExactly("master-node", "curl/8.5.0");
        assertThat(Instant.parse(pump.get(1).get("readingDate").asText()))
                .as("a reading without readingDate is placed at its creation time")
                .isEqualTo(sandbox.readings(43).get(1).createdAt());
        assertThat(charts.get("controls")).isEmpty();
        assertThat(charts.get("status")).isEmpty();
        assertThat(charts.toString()).doesNotContain(TOKEN);
    }

    @Test
    void chartDataKeepsTheNewest150ReadingsOfEachMeter() throws Exception {
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<String> readings = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            readings.add(reading(42, i, t.plusSeconds(i)));
        }
        postReadings(TOKEN, "[" + String.join(",", readings) + "," + reading(43, 7, t) + "]");

        JsonNode charts = charts();

        JsonNode boiler = charts.get("meters").get(0).get("readings");
        assertThat(boiler).hasSize(150);
        assertThat(boiler.get(0).get("value").asInt()).isEqualTo(10);
        assertThat(boiler.get(149).get("value").asInt()).isEqualTo(159);
        assertThat(charts.get("meters").get(1).get("readings")).hasSize(1);
        assertThat(charts.get("readingsStored").asInt()).isEqualTo(161);
    }

    @Test
    void pageButtonsRunTheRegisteredControlsAndTheStatusFollows() throws Exception {
        AtomicReference<String> gateway = new AtomicReference<>("Active");
        sandbox.control("failover", "Fail over", () -> gateway.set("Cold"))
                .status(() -> Map.of("master", gateway.get()));

        JsonNode before = charts();
        assertThat(before.get("controls")).singleElement().satisfies(button -> {
            assertThat(button.get("name").asText()).isEqualTo("failover");
            assertThat(button.get("label").asText()).isEqualTo("Fail over");
        });
        assertThat(before.at("/status/master").asText()).isEqualTo("Active");

        HttpResponse<String> pressed = send(HttpRequest.newBuilder(URI.create(sandbox.viewerUrl() + "/control/failover"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(pressed.statusCode()).isEqualTo(204);
        assertThat(charts().at("/status/master").asText()).isEqualTo("Cold");

        assertThat(viewer("/control/failover").statusCode()).isEqualTo(405);
        assertThat(send(HttpRequest.newBuilder(URI.create(sandbox.viewerUrl() + "/control/unknown"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
    }

    @Test
    void chartPageIsSelfContainedAndDrawsFromTheChartData() throws Exception {
        HttpResponse<String> page = viewer("");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script>", "fetch('/sandbox/charts'", "'/sandbox/control/'")
                .doesNotContain("<script src", "<link", "@import", "https://");
        assertThat(viewer("/").body()).isEqualTo(page.body());
    }

    private HttpResponse<String> postReadingsAs(String userAgent, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/meterreadings"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).isEqualTo(201);
        return response;
    }

    private static String reading(long meterId, double value, Instant readingDate) throws IOException {
        return JSON.writeValueAsString(Map.of("meterId", meterId, "value", value, "readingDate", readingDate.toString()));
    }

    private JsonNode charts() throws IOException, InterruptedException {
        HttpResponse<String> response = viewer("/charts");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> viewer(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(sandbox.viewerUrl() + path)).GET());
    }

    private HttpResponse<String> postReadings(String token, String body) throws IOException, InterruptedException {
        return send(readingsRequest(token, body));
    }

    private HttpRequest.Builder readingsRequest(String token, String body) {
        return HttpRequest.newBuilder(uri("/meterreadings"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("User-Agent", "plantbridge-test/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(sandbox.baseUrl() + path);
    }
}
