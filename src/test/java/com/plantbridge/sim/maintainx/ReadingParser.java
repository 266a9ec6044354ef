package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a {@code POST /meterreadings} body against the documented schema and the IoT date window,
 * collecting every error so one 400 tells the client everything that is wrong.
 */
final class ReadingParser {

    /** "cannot be further than 3 days for IoT meters" (OpenAPI readingDate description). */
    static final Duration MAX_AGE = Duration.ofDays(3);
    /** Tolerates client clock skew without accepting readings from the future. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** Parsed readings when {@code errors} is empty; {@code count} is the array size when the body was an array. */
    record Result(List<ReadingInput> readings, List<FieldError> errors, int count) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    Result parse(byte[] body, Instant now) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return failure(FieldError.of("Request body is not valid JSON"), 0);
        } catch (IOException e) {
            return failure(FieldError.of("Request body could not be read"), 0);
        }
        if (root == null || !root.isArray()) {
            return failure(FieldError.of("Request body must be an array of meter readings"), 0);
        }
        List<ReadingInput> readings = new ArrayList<>(root.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            ReadingInput reading = element(root.get(i), "[" + i + "]", now, errors);
            if (reading != null) {
                readings.add(reading);
            }
        }
        return new Result(errors.isEmpty() ? readings : List.of(), errors, root.size());
    }

    private static Result failure(FieldError error, int count) {
        return new Result(List.of(), List.of(error), count);
    }

    private static ReadingInput element(JsonNode node, String path, Instant now, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError("Expected object, received " + type(node), path, fieldValue(node)));
            return null;
        }
        int before = errors.size();
        Long meterId = meterId(node.get("meterId"), path + ".meterId", errors);
        Double value = value(node.get("value"), path + ".value", errors);
        Instant readingDate = readingDate(node.get("readingDate"), path + ".readingDate", now, errors);
        return errors.size() == before ? new ReadingInput(meterId, value, readingDate) : null;
    }

    private static Long meterId(JsonNode node, String path, List<FieldError> errors) {
        if (!requiredNumber(node, path, errors)) {
            return null;
        }
        double id = node.doubleValue();
        if (id != Math.rint(id) || id < 1 || id >= 0x1p63) {
            errors.add(new FieldError("meterId must be a positive integer", path, node.numberValue()));
            return null;
        }
        return node.asLong();
    }

    private static Double value(JsonNode node, String path, List<FieldError> errors) {
        if (!requiredNumber(node, path, errors)) {
            return null;
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            errors.add(new FieldError("value must be a finite number", path, node.asText()));
            return null;
        }
        return value;
    }

    private static boolean requiredNumber(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("Required", path, null));
            return false;
        }
        if (!node.isNumber()) {
            errors.add(new FieldError("Expected number, received " + type(node), path, fieldValue(node)));
            return false;
        }
        return true;
    }

    private static Instant readingDate(JsonNode node, String path, Instant now, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("Expected string, received " + type(node), path, fieldValue(node)));
            return null;
        }
        Instant date;
        try {
            date = OffsetDateTime.parse(node.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("Invalid ISO-8601 date", path, node.textValue()));
            return null;
        }
        if (date.isBefore(now.minus(MAX_AGE))) {
            errors.add(new FieldError("readingDate cannot be more than 3 days in the past", path, node.textValue()));
            return null;
        }
        if (date.isAfter(now.plus(MAX_AHEAD))) {
            errors.add(new FieldError("readingDate cannot be in the future", path, node.textValue()));
            return null;
        }
        return date;
    }

    private static String type(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The documented fieldValue is string | number | boolean; containers are echoed as JSON text. */
    private static Object fieldValue(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.toString();
    }
}
