package com.plantbridge.peer;

import java.util.HashMap;
import java.util.Map;

/**
 * The nonces of accepted peer requests, kept as long as their timestamps would still pass the
 * skew check: inside that window a second request with the same nonce is a replay. Only requests
 * whose signature verified are remembered, so an outsider cannot fill it.
 */
final class NonceMemory {

    private static final int MAX_REMEMBERED = 100_000;

    private final long windowMillis;
    private final Map<String, Long> expiries = new HashMap<>();

    NonceMemory(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** True the first time a nonce is seen within the window; false for a replay (or when full, to fail closed). */
    synchronized boolean firstUse(String nonce, long timestampMillis, long nowMillis) {
        expiries.values().removeIf(expiry -> expiry < nowMillis);
        if (expiries.containsKey(nonce) || expiries.size() >= MAX_REMEMBERED) {
            return false;
        }
        expiries.put(nonce, timestampMillis + windowMillis);
        return true;
    }
}
