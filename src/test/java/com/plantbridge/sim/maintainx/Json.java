package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Shared Jackson mapper and the wire formats MaintainX uses for dates and numbers. */
final class Json {

    // Trailing tokens would otherwise let "[...] garbage" through as a valid batch.
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // MaintainX answers dates like "2022-01-01T00:00:00.000Z"; jsr310 is not on the classpath.
    private Json() {
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. ISO_INSTANT (Instant.toString) prints the same for a millisecond instant
     * except that it drops a zero fraction; it is several times cheaper than the zoned pattern, which was most of
     * the fake's CPU when a node reads the meter list of 120,000 meters (JFR).
     */
    static String instant(Instant instant) {
        if (instant == null) {
            return null;
        }
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        String text = millis.toString();
        return millis.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
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
