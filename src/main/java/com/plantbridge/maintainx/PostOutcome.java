package com.plantbridge.maintainx;

/** What MaintainX answered to one POST; status 0 means no answer (I/O error, time-out). */
public record PostOutcome(int status, String body, Integer rateRemaining, Long rateResetSeconds, String ioError) {

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

    public String describe() {
        if (status == 0) {
            return "no answer: " + ioError;
        }
        String shortBody = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
        return "HTTP " + status + (shortBody.isBlank() ? "" : " " + shortBody);
    }
}
