package com.plantbridge.ops;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import com.plantbridge.settings.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAuthorizationTest {

    private static final String TOKEN = "admin-token-9f3c1e77b2a44d0e";
    private final AdminAuthorization withToken = new AdminAuthorization(Secret.of(TOKEN), Clock.systemUTC(), new com.fasterxml.jackson.databind.ObjectMapper());
    private final AdminAuthorization withoutToken = new AdminAuthorization(Secret.of(""), Clock.systemUTC(), new com.fasterxml.jackson.databind.ObjectMapper());

    @Test
    void readsNeedNoToken() {
        assertThat(withToken.check("GET", "/api/status", null)).isEmpty();
        assertThat(withToken.check("HEAD", "/api/quarantine", null)).isEmpty();
        assertThat(withoutToken.check("GET", "/api/status", null)).isEmpty();
    }

    @Test
    void everyOtherCallNeedsTheRightBearerToken() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            assertThat(withToken.check(method, "/api/module/disable", null)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
            assertThat(withToken.check(method, "/api/rescan", "Bearer wrong")).hasValueSatisfying(r -> {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.error()).contains("bridge.admin.token").doesNotContain(TOKEN);
            });
            assertThat(withToken.check(method, "/api/settings", "Basic " + TOKEN)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
            assertThat(withToken.check(method, "/api/settings", "Bearer " + TOKEN + "x")).isPresent();
            assertThat(withToken.check(method, "/api/settings", "Bearer " + TOKEN.substring(1))).isPresent();
            assertThat(withToken.check(method, "/api/settings", "Bearer " + TOKEN)).isEmpty();
            assertThat(withToken.check(method, "/api/settings", "bearer  " + TOKEN + " ")).isEmpty();
        }
    }

    @Test
    void withoutAConfiguredTokenStateChangingCallsAre403NamingTheSetting() {
        assertThat(withoutToken.check("POST", "/api/module/enable", "Bearer anything")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.error()).contains("bridge.admin.token is not set");
        });
        assertThat(withoutToken.check("POST", "/api/module/enable", null)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void peerPathsAreLeftToThePeerSignatures() {
        assertThat(withoutToken.check("POST", "/api/peer/settings", null)).isEmpty();
        assertThat(withToken.check("GET", "/api/peer/view", null)).isEmpty();
    }
}
