package com.plantbridge.sim.maintainx;

import java.time.Instant;

/**
 * An asset status the sandbox stored ({@code POST /assets/{id}/status}).
 *
 * @param startedAt the client's {@code startedAt}, or the time of the request when it sent none
 * @param userAgent the raw User-Agent of the request
 */
public record AssetStatusChange(long id, long assetId, String status, Instant startedAt, Instant createdAt, String userAgent) {

    /** The node named in the bridge's User-Agent, else the raw User-Agent, else {@code unknown}. */
    public String sender() {
        return SenderNode.of(userAgent);
    }
}
