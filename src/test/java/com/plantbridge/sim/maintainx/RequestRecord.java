package com.plantbridge.sim.maintainx;

import java.time.Instant;

/**
 * One request that reached the {@code /v1} API.
 *
 * @param time           when the request was received
 * @param method         HTTP method
 * @param path           request path, e.g. {@code /v1/meterreadings}
 * @param status         HTTP status answered, or {@link #DROPPED} when the connection was closed unanswered
 * @param readingCount   elements in a {@code POST /meterreadings} body when it was parsed, otherwise 0
 * @param token          bearer token presented (may be unknown), {@code null} when none
 * @param userAgent      raw {@code User-Agent} header
 * @param organizationId raw {@code x-organization-id} header
 */
public record RequestRecord(Instant time, String method, String path, int status, int readingCount,
                            String token, String userAgent, String organizationId) {

    /** Status recorded for requests whose connection was dropped by {@link MaintainxSandbox#dropConnectionNext}. */
    public static final int DROPPED = -1;

    // The default record toString would leak the token into test reports and logs.
    @Override
    public String toString() {
        return "RequestRecord[time=" + time + ", method=" + method + ", path=" + path + ", status=" + status
                + ", readingCount=" + readingCount + ", token=" + (token == null ? "none" : "***")
                + ", userAgent=" + userAgent + ", organizationId=" + organizationId + "]";
    }
}
