package com.plantbridge.tags;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Picks the server endpoint that matches the configured security policy, mode and identity, or
 * says in settings terms what the server offers instead, before a session is attempted.
 */
final class EndpointChoice {

    private EndpointChoice() {
    }

    static EndpointDescription choose(GatewaySettings settings, List<EndpointDescription> endpoints) throws UaException {
        List<EndpointDescription> secured = endpoints.stream()
                .filter(e -> settings.securityPolicy().getUri().equals(e.getSecurityPolicyUri()))
                .filter(e -> e.getSecurityMode() == settings.securityMode())
                .toList();
        if (secured.isEmpty()) {
            throw new UaException(StatusCodes.Bad_SecurityPolicyRejected, "ignition.opcua.security-policy / security-mode: the server offers no "
                    + settings.security() + " endpoint; it offers " + offered(endpoints));
        }
        UserTokenType wanted = settings.anonymous() ? UserTokenType.Anonymous : UserTokenType.UserName;
        EndpointDescription chosen = secured.stream()
                .filter(e -> tokenTypes(e).contains(wanted))
                .findFirst()
                .orElseThrow(() -> new UaException(StatusCodes.Bad_IdentityTokenRejected, settings.anonymous()
                        ? "the server does not allow anonymous sessions (Ignition 8.3's default): set ignition.opcua.username and ignition.opcua.password"
                        : "the server accepts no username on its " + settings.security() + " endpoint"));
        // A gateway advertises its own host name, which this machine may not resolve; keep the configured host.
        return EndpointUtil.updateUrl(chosen, settings.host(), settings.port());
    }

    private static List<UserTokenType> tokenTypes(EndpointDescription endpoint) {
        UserTokenPolicy[] policies = endpoint.getUserIdentityTokens();
        return policies == null ? List.of() : Arrays.stream(policies).map(UserTokenPolicy::getTokenType).filter(Objects::nonNull).toList();
    }

    private static List<String> offered(List<EndpointDescription> endpoints) {
        return endpoints.stream()
                .map(e -> SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri()).map(SecurityPolicy::name).orElse(e.getSecurityPolicyUri())
                        + (e.getSecurityMode() == org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode.None ? "" : "/" + e.getSecurityMode()))
                .distinct()
                .toList();
    }
}
