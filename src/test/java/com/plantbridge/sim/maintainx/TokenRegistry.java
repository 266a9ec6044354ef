package com.plantbridge.sim.maintainx;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Known API tokens, their organisations, and the auth decisions MaintainX makes from them. */
final class TokenRegistry {

    /** Organisation every single-organisation token acts in. */
    static final long DEFAULT_ORGANIZATION_ID = 1L;

    private record Entry(Set<Long> organizations, boolean multiOrganization, boolean forbidden) {
    }

    /** Either a caller or the response that rejects the request. */
    record Authentication(Caller caller, ApiResponse rejection) {
    }

    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();

    void register(String token) {
        tokens.put(requireToken(token), new Entry(Set.of(DEFAULT_ORGANIZATION_ID), false, false));
    }

    void registerMultiOrganization(String token, long... organizationIds) {
        if (organizationIds == null || organizationIds.length == 0) {
            throw new IllegalArgumentException("A multi-organisation token needs at least one organisation id");
        }
        Set<Long> orgs = Arrays.stream(organizationIds).boxed().collect(Collectors.toUnmodifiableSet());
        tokens.put(requireToken(token), new Entry(orgs, true, false));
    }

    void revoke(String token) {
        tokens.remove(token);
    }

    void forbid(String token) {
        tokens.computeIfPresent(token, (t, e) -> new Entry(e.organizations(), e.multiOrganization(), true));
    }

    /** Extracts the token from {@code Authorization: Bearer <token>}; the scheme is case-insensitive as in the spec. */
    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String trimmed = authorization.trim();
        if (trimmed.length() < 7 || !trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = trimmed.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /**
     * The organisation whose shared budget a request counts in: the token's own, or the one its
     * {@code x-organization-id} names when the token may act in it; null for an unknown token.
     */
    Long organizationOf(String token, String organizationHeader) {
        Entry entry = token == null ? null : tokens.get(token);
        if (entry == null) {
            return null;
        }
        if (!entry.multiOrganization()) {
            return DEFAULT_ORGANIZATION_ID;
        }
        try {
            long named = Long.parseLong(organizationHeader == null ? "" : organizationHeader.trim());
            return entry.organizations().contains(named) ? named : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Authentication authenticate(String token, String organizationHeader, String userAgent) {
        Entry entry = token == null ? null : tokens.get(token);
        if (entry == null) {
            return reject(ApiResponse.unauthorized());
        }
        if (entry.forbidden()) {
            return reject(ApiResponse.forbidden());
        }
        if (!entry.multiOrganization()) {
            return new Authentication(new Caller(token, DEFAULT_ORGANIZATION_ID, organizationHeader, userAgent), null);
        }
        if (organizationHeader == null || organizationHeader.isBlank()) {
            return reject(ApiResponse.errors(400, List.of(FieldError.of("Missing x-organization-id header."))));
        }
        long organizationId;
        try {
            organizationId = Long.parseLong(organizationHeader.trim());
        } catch (NumberFormatException e) {
            return reject(ApiResponse.errors(400, List.of(
                    new FieldError("Invalid x-organization-id header.", "x-organization-id", organizationHeader))));
        }
        if (!entry.organizations().contains(organizationId)) {
            return reject(ApiResponse.forbidden());
        }
        return new Authentication(new Caller(token, organizationId, organizationHeader, userAgent), null);
    }

    private static Authentication reject(ApiResponse response) {
        return new Authentication(null, response);
    }

    private static String requireToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        return token;
    }
}
