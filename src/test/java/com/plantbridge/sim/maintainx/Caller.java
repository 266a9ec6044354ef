package com.plantbridge.sim.maintainx;

/**
 * An authenticated request's identity.
 *
 * @param token              bearer token (never logged)
 * @param organizationId     organisation the request acts in
 * @param organizationHeader raw {@code x-organization-id} header
 * @param userAgent          raw {@code User-Agent} header
 */
record Caller(String token, long organizationId, String organizationHeader, String userAgent) {

    @Override
    public String toString() {
        return "Caller[organizationId=" + organizationId + ", userAgent=" + userAgent + "]";
    }
}
