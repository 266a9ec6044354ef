package com.plantbridge.sim.maintainx;

import java.time.Instant;

/**
 * A reading the sandbox accepted.
 *
 * @param id             reading id in the IoT format {@code {meterId}-{uuid}}
 * @param meterId        meter id
 * @param value          reading value
 * @param readingDate    client-supplied reading date, {@code null} when absent
 * @param createdAt      server-side creation time (millisecond precision)
 * @param token          bearer token used; kept only so tests can assert on it
 * @param organizationId raw {@code x-organization-id} header, {@code null} when absent
 * @param userAgent      raw {@code User-Agent} header, {@code null} when absent
 */
public record StoredReading(String id, long meterId, double value, Instant readingDate, Instant createdAt,
                            String token, String organizationId, String userAgent) {

    /** The node named in the bridge's User-Agent, else the raw User-Agent, else {@code unknown}. */
    public String sender() {
        return SenderNode.of(userAgent);
    }

    // The default record toString would leak the token into test reports and logs.
    @Override
    public String toString() {
        return "StoredReading[id=" + id + ", meterId=" + meterId + ", value=" + value
                + ", readingDate=" + readingDate + ", createdAt=" + createdAt
                + ", token=***, organizationId=" + organizationId + ", userAgent=" + userAgent + "]";
    }
}
