package com.plantbridge.peer;

import java.time.Duration;
import java.util.Locale;

/**
 * Why this node's own exchanges with its peer fail, in words an operator can act on. Clock skew
 * used to be reported as a wrong secret; the peer's timestamp on every answer tells them apart.
 */
public final class PeerLinkDiagnosis {

    /** What kind of failure, and its text for status and log; the kind decides whether it is news. */
    public record Cause(Kind kind, String text) {
    }

    public enum Kind { INCOMPATIBLE_VERSION, CLOCK_SKEW, REFUSED, SECRET_MISMATCH, CERTIFICATE_REFUSED }

    private PeerLinkDiagnosis() {
    }

    /**
     * @param status         the HTTP status the peer answered
     * @param peerProtocol   the peer's protocol header, null when absent
     * @param answerVerified whether the answer's signature verified with this node's secret
     * @param offsetMillis   the peer's clock minus this node's, measured on the answer; null when unknown
     * @param peerReason     the reason a verified refusal gives, else null
     */
    public static Cause cause(int status, String peerProtocol, boolean answerVerified, Long offsetMillis, String peerReason, Duration maxSkew) {
        if (!PeerSignature.PROTOCOL.equals(peerProtocol)) {
            return new Cause(Kind.INCOMPATIBLE_VERSION, "incompatible version: the peer answered HTTP " + status + (peerProtocol == null
                    ? " without the peer protocol header (it runs another version of the bridge, or bridge.peer.url names something else)"
                    : " with peer protocol " + peerProtocol + ", this node speaks " + PeerSignature.PROTOCOL));
        }
        if (offsetMillis != null && Math.abs(offsetMillis) > maxSkew.toMillis()) {
            return new Cause(Kind.CLOCK_SKEW, "clock skew: the peer's clock is " + seconds(Math.abs(offsetMillis))
                    + (offsetMillis > 0 ? " ahead of" : " behind") + " this node's, at most " + maxSkew.toSeconds()
                    + " s are allowed; synchronise both hosts' clocks (NTP)");
        }
        if (answerVerified) {
            return new Cause(Kind.REFUSED, "the peer refuses this node's requests although the secrets match: "
                    + (peerReason == null ? "HTTP " + status : peerReason));
        }
        return new Cause(Kind.SECRET_MISMATCH, "bridge.peer.secret differs between the nodes: " + (status == 401
                ? "the peer refuses this node's signatures" : "the peer's answers are not signed with this node's secret"));
    }

    /** This node refused the certificate its peer presented: nothing was sent. */
    public static Cause certificateRefused(String why) {
        return new Cause(Kind.CERTIFICATE_REFUSED, "the peer's TLS certificate is refused: " + why + "; compare bridge.peer.trust-store or"
                + " bridge.peer.certificate-fingerprint with the certificate the peer shows (its status, security.certificate)");
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.0f s", Math.abs(millis) / 1000.0);
    }
}
