package com.plantbridge.tags;

import java.util.Optional;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;

/**
 * Why a connection attempt failed, in the operator's terms: what is wrong, and what to do when a
 * person has to act. The key groups attempts that fail the same way, so each is logged once.
 */
record Problem(String key, boolean needsAPerson, String message, Throwable cause) {

    static final String UNREACHABLE = "unreachable";

    private static final Set<Long> CLIENT_CERTIFICATE_REFUSED = Set.of(StatusCodes.Bad_SecurityChecksFailed,
            StatusCodes.Bad_CertificateUntrusted, StatusCodes.Bad_CertificateInvalid, StatusCodes.Bad_CertificateUriInvalid,
            StatusCodes.Bad_CertificateRevoked, StatusCodes.Bad_CertificateTimeInvalid, StatusCodes.Bad_CertificateUseNotAllowed);
    private static final Set<Long> IDENTITY_REFUSED = Set.of(StatusCodes.Bad_IdentityTokenInvalid,
            StatusCodes.Bad_IdentityTokenRejected, StatusCodes.Bad_UserAccessDenied);

    static Problem unreachable(GatewaySettings settings, Throwable error) {
        return new Problem(UNREACHABLE, false, "OPC UA server " + settings.endpoint() + " not reachable (" + rootMessage(error)
                + "); retrying every " + GatewayConnection.RETRY_MS + " ms", error);
    }

    static Problem of(GatewaySettings settings, ClientCertificate certificate, Throwable error) {
        String endpoint = "OPC UA server " + settings.endpoint() + ": ";
        Optional<GatewayTrust.GatewayCertificateRefused> untrusted = find(error, GatewayTrust.GatewayCertificateRefused.class);
        if (untrusted.isPresent()) {
            return new Problem("untrusted:" + untrusted.get().thumbprint(), true,
                    endpoint + "connection refused, nothing was sent to it: " + untrusted.get().getMessage(), error);
        }
        Optional<UaException> ua = find(error, UaException.class);
        long status = ua.map(e -> e.getStatusCode().getValue()).orElse(StatusCodes.Bad_UnexpectedError);
        String detail = ua.map(UaException::getMessage).orElse(rootMessage(error));
        if (status == StatusCodes.Bad_SecurityPolicyRejected && detail.contains("ignition.opcua")) {
            return new Problem("endpoint", true, endpoint + detail, error);
        }
        if (IDENTITY_REFUSED.contains(status)) {
            return new Problem("identity", true, endpoint + "the identity was refused ("
                    + (settings.anonymous() ? "anonymous" : "user '" + settings.username() + "'") + "): " + detail
                    + ". Check ignition.opcua.username and ignition.opcua.password", error);
        }
        if (settings.secure() && CLIENT_CERTIFICATE_REFUSED.contains(status)) {
            return new Problem("client-certificate", true, endpoint + "the server refused this node's certificate (" + detail
                    + "). Trust it on the gateway: in Ignition, Config > OPC UA > Security > Server, the quarantined certificate with SHA-1 thumbprint "
                    + certificate.thumbprint() + " > Trust; the node retries every " + GatewayConnection.NEEDS_A_PERSON_RETRY_MS / 1000 + " s", error);
        }
        return new Problem("failed:" + status, false, endpoint + "connecting failed (" + detail + "); retrying", error);
    }

    private static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
