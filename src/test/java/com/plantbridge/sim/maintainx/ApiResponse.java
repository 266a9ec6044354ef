package com.plantbridge.sim.maintainx;

import java.util.List;
import java.util.Map;

/**
 * What an endpoint answers; {@code readingCount} only feeds the request log.
 */
record ApiResponse(int status, Object body, int readingCount) {

    static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, body, 0);
    }

    /** Shape used by 401, 404, 429, 5xx and query errors: {@code {"error":"..."}}. */
    static ApiResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    /** Shape used by 400 validation and 403: {@code {"errors":[...]}}. */
    static ApiResponse errors(int status, List<FieldError> errors) {
        return json(status, Map.of("errors", errors));
    }

    static ApiResponse unauthorized() {
        return error(401, "Unauthorized");
    }

    static ApiResponse forbidden() {
        return errors(403, List.of(FieldError.of("Forbidden")));
    }

    ApiResponse withReadingCount(int count) {
        return new ApiResponse(status, body, count);
    }
}
