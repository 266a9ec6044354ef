package com.plantbridge.ops;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import com.plantbridge.ops.RefusedCalls.Reason;
import com.plantbridge.settings.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAuthorizationTest {

    private static final String TOKEN = "admin-token-9f3c1e77b2a44d0e";
    private final AdminAuthorization withToken = new AdminAuthorization(Secret.of(TOKEN), Clock.systemUTC(), new ObjectMapper());
    private final AdminAuthorization withoutToken = new AdminAuthorization(Secret.of(""), Clock.systemUTC(), new ObjectMapper());

    @Test
    void anAdminCallNeedsTheRightBearerToken() {
        assertThat(withToken.checkToken(null)).contains(Reason.TOKEN_MISSING);
        assertThat(withToken.checkToken("Bearer wrong")).contains(Reason.TOKEN_WRONG);
        assertThat(withToken.checkToken("Basic " + TOKEN)).contains(Reason.TOKEN_MISSING);
        assertThat(withToken.checkToken("Bearer " + TOKEN + "x")).contains(Reason.TOKEN_WRONG);
        assertThat(withToken.checkToken("Bearer " + TOKEN.substring(1))).contains(Reason.TOKEN_WRONG);
        assertThat(withToken.checkToken("Bearer " + TOKEN)).isEmpty();
        assertThat(withToken.checkToken("bearer  " + TOKEN + " ")).isEmpty();
    }

    @Test
    void withoutAConfiguredTokenEveryAdminCallIsOff() {
        assertThat(withoutToken.isTokenConfigured()).isFalse();
        assertThat(withoutToken.checkToken("Bearer anything")).contains(Reason.TOKEN_NOT_CONFIGURED);
        assertThat(withoutToken.checkToken(null)).contains(Reason.TOKEN_NOT_CONFIGURED);
        assertThat(Reason.TOKEN_NOT_CONFIGURED.status()).isEqualTo(403);
    }

    @Test
    void everyDeclaredPathIsCanonicalAndNoPathIsDeclaredTwice() {
        for (AdminApi.Route route : AdminApi.ROUTES) {
            assertThat(CanonicalRequest.problem(route.path())).as("%s", route).isEmpty();
            assertThat(AdminApi.ROUTES.stream().filter(r -> r.method().equals(route.method()) && r.path().equals(route.path())))
                    .as("%s declared once", route).hasSize(1);
        }
    }

    @Test
    void aPeerPathIsAPeerCallBecauseItIsDeclaredSoNotBecauseOfItsPrefix() {
        assertThat(AdminApi.find("POST", "/api/peer/settings")).hasValueSatisfying(r -> assertThat(r.access()).isEqualTo(AdminApi.Access.PEER));
        assertThat(AdminApi.find("POST", "/api/peer/anything")).isEmpty();
        assertThat(AdminApi.find("POST", "/api/module/disable")).hasValueSatisfying(r -> assertThat(r.access()).isEqualTo(AdminApi.Access.ADMIN));
        assertThat(AdminApi.find("GET", "/api/module/disable")).isEmpty();
        assertThat(AdminApi.methods("/api/module/disable")).isEqualTo("POST");
    }

    @Test
    void nonCanonicalSpellingsAreNamedForWhatIsWrongWithThem() {
        assertThat(CanonicalRequest.problem("/api/peer/../module/disable")).hasValueSatisfying(p -> assertThat(p).contains("dot segment"));
        assertThat(CanonicalRequest.problem("/api/peer/%2e%2e/settings")).hasValueSatisfying(p -> assertThat(p).contains("percent-encoding"));
        assertThat(CanonicalRequest.problem("/api//status")).hasValueSatisfying(p -> assertThat(p).contains("empty segment"));
        assertThat(CanonicalRequest.problem("/api/status/")).hasValueSatisfying(p -> assertThat(p).contains("trailing slash"));
        assertThat(CanonicalRequest.problem("/api/status;x=1")).hasValueSatisfying(p -> assertThat(p).contains("';' parameter"));
        assertThat(CanonicalRequest.problem("/API/status")).hasValueSatisfying(p -> assertThat(p).contains("upper case"));
        assertThat(CanonicalRequest.problem("/api\\status")).hasValueSatisfying(p -> assertThat(p).contains("backslash"));
        assertThat(CanonicalRequest.problem("http://node/api/status")).hasValueSatisfying(p -> assertThat(p).contains("absolute-form"));
        assertThat(CanonicalRequest.problem("/api/" + "a".repeat(200))).hasValueSatisfying(p -> assertThat(p).contains("longer than"));
        assertThat(CanonicalRequest.problem("/api/stätus")).hasValueSatisfying(p -> assertThat(p).contains("printable ASCII"));
        assertThat(CanonicalRequest.problem("/api/rescan?connector=line-1&x=%2e")).hasValueSatisfying(p -> assertThat(p).contains("query"));
        assertThat(CanonicalRequest.problem("/api/rescan?connector=line_1.a")).isEmpty();
        assertThat(CanonicalRequest.problem("/")).isEmpty();
    }
}
