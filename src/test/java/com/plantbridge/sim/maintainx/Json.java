package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Shared Jackson mapper and the wire formats MaintainX uses for dates and numbers. */
final class Json {

    // Trailing tokens would otherwise let "[...] garbage" through as a valid batch.
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // MaintainX answers dates like "2022-01-01T00:00:00.000Z"; jsr310 is not on the classpath.
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {
    }

    static String instant(Instant instant) {
        return instant == null ? null : MILLIS.format(instant);
    }

    /** Integral doubles go out as integers so a posted {@code 120} comes back as {@code 120}, not {@code 120.0}. */
    static Number number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return (long) value;
        }
        return value;
    }

    static byte[] write(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise response body", e);
        }
    }
}
