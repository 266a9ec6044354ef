package com.plantbridge.maintainx;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.plantbridge.reading.MeterReading;

/** What MaintainX answered to one POST; status 0 means no answer (I/O error, time-out). */
public record PostOutcome(int status, String body, Integer rateRemaining, Long rateResetSeconds, String ioError) {

    private static final Pattern FIELD_PATH = Pattern.compile("^\\[(\\d+)](?:\\.(\\w+))?$");

    public boolean created() {
        return status >= 200 && status < 300;
    }

    public boolean tooManyRequests() {
        return status == 429;
    }

    public boolean unauthorized() {
        return status == 401 || status == 403;
    }

    /** 400, 404, 422...: the request itself is wrong and sending it again will not help. */
    public boolean refused() {
        return status >= 400 && status < 500 && !tooManyRequests() && !unauthorized() && status != 408;
    }

    /**
     * No answer, or a gateway's error (500, 502, 504) that may come after MaintainX stored the
     * request: the batch may be at MaintainX. Any other answer means it was not stored.
     */
    public boolean mayHaveStored() {
        return status == 0 || status == 500 || status == 502 || status == 504;
    }

    /** A 404 to a POST of readings: MaintainX does not know a meter (its body does not say which). */
    public boolean meterNotFound() {
        return status == 404;
    }

    /**
     * What a refusal names among the posted readings, from the documented error body
     * {@code {"errors":[{"error","fieldPath","fieldValue"}]}}: {@code [i].meterId} names reading
     * i's meter; {@code [i]} or {@code [i].value} etc. names reading i. Empty when the body names
     * nothing (the batch must then be split to find the culprit).
     */
    public Named named(List<MeterReading> posted, ObjectMapper json) {
        Set<Integer> readings = new TreeSet<>();
        Set<Long> meters = new TreeSet<>();
        ErrorBody parsed = parse(json);
        if (!refused() || parsed == null || parsed.errors() == null) {
            return new Named(readings, meters);
        }
        for (FieldError error : parsed.errors()) {
            if (error == null || error.fieldPath() == null) {
                continue;
            }
            Matcher m = FIELD_PATH.matcher(error.fieldPath().trim());
            if (m.matches()) {
                int index = Integer.parseInt(m.group(1));
                if (index >= posted.size()) {
                    continue;
                }
                if ("meterId".equals(m.group(2))) {
                    meters.add(posted.get(index).meterId());
                } else {
                    readings.add(index);
                }
            } else if ("meterId".equals(error.fieldPath().trim()) && error.fieldValue() != null) {
                String text = error.fieldValue().asText().trim();
                if (text.matches("\\d{1,18}")) {
                    long meter = Long.parseLong(text);
                    if (posted.stream().anyMatch(r -> r.meterId() == meter)) {
                        meters.add(meter);
                    }
                }
            }
        }
        return new Named(readings, meters);
    }

    private ErrorBody parse(ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readValue(body, ErrorBody.class);
        } catch (Exception e) {
            return null;
        }
    }

    public String describe() {
        if (status == 0) {
            return "no answer: " + ioError;
        }
        String shortBody = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
        return "HTTP " + status + (shortBody.isBlank() ? "" : " " + shortBody);
    }

    /** Indexes of posted readings, and meters, that a refusal names. */
    public record Named(Set<Integer> readings, Set<Long> meters) {
        public boolean isEmpty() {
            return readings.isEmpty() && meters.isEmpty();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(String error, List<FieldError> errors) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FieldError(String error, String fieldPath, JsonNode fieldValue) {
    }
}
