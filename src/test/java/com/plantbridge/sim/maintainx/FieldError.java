package com.plantbridge.sim.maintainx;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One entry of the documented {@code {"errors":[{"error","fieldPath","fieldValue"}]}} body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FieldError(String error, String fieldPath, Object fieldValue) {

    static FieldError of(String error) {
        return new FieldError(error, null, null);
    }
}
