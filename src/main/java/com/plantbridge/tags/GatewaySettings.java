package com.plantbridge.tags;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

import com.plantbridge.settings.Secret;

/**
 * How this node reaches its own gateway's OPC UA server (node-local, never mirrored).
 *
 * @param securityMode {@code None} exactly when the policy is {@code None}
 * @param trustOnFirstUse pin the first server certificate seen when {@code pki/trusted/} is empty
 */
public record GatewaySettings(
        String endpoint,
        String username,
        Secret password,
        SecurityPolicy securityPolicy,
        MessageSecurityMode securityMode,
        String tagNamespace,
        String nodeName,
        Path dataDir,
        boolean trustOnFirstUse) {

    /** The policies Milo 1.0.8 implements and Ignition offers; Basic128Rsa15 and Basic256 (SHA-1) are deprecated by OPC UA. */
    public static final List<SecurityPolicy> POLICIES = List.of(SecurityPolicy.None, SecurityPolicy.Basic256Sha256,
            SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss);

    public GatewaySettings {
        if (endpoint == null || !endpoint.startsWith("opc.tcp://") || URI.create(endpoint).getHost() == null) {
            throw new IllegalArgumentException("ignition.opcua.endpoint: must be opc.tcp://host:port, got '" + endpoint + "'");
        }
        if ((securityPolicy == SecurityPolicy.None) != (securityMode == MessageSecurityMode.None)) {
            throw new IllegalArgumentException("ignition.opcua.security-mode: " + securityMode + " does not go with security policy "
                    + securityPolicy + " (None goes with None only)");
        }
    }

    /** Anonymous, no security: the shape of a test gateway. */
    public static GatewaySettings unsecured(String endpoint, String tagNamespace, String nodeName, Path dataDir) {
        return new GatewaySettings(endpoint, "", Secret.of(""), SecurityPolicy.None, MessageSecurityMode.None,
                tagNamespace, nodeName, dataDir, false);
    }

    /** {@code ignition.opcua.security-policy}, by its OPC UA name (case-insensitive). */
    public static SecurityPolicy policy(String text) {
        String value = text == null ? "" : text.trim();
        return POLICIES.stream().filter(p -> p.name().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ignition.opcua.security-policy: must be one of "
                        + POLICIES.stream().map(SecurityPolicy::name).toList() + ", got '" + text + "'"));
    }

    /** {@code ignition.opcua.security-mode}: Sign or SignAndEncrypt for a secure policy; empty = SignAndEncrypt (None with policy None). */
    public static MessageSecurityMode mode(String text, SecurityPolicy policy) {
        String value = text == null ? "" : text.trim();
        if (policy == SecurityPolicy.None) {
            if (value.isEmpty() || value.equalsIgnoreCase("None")) {
                return MessageSecurityMode.None;
            }
            throw new IllegalArgumentException("ignition.opcua.security-mode: '" + text
                    + "' needs a secure ignition.opcua.security-policy (the policy is None)");
        }
        if (value.isEmpty()) {
            return MessageSecurityMode.SignAndEncrypt;
        }
        return Arrays.stream(new MessageSecurityMode[] {MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt})
                .filter(m -> m.name().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ignition.opcua.security-mode: must be Sign or SignAndEncrypt with policy "
                        + policy.name() + ", got '" + text + "'"));
    }

    public boolean anonymous() {
        return username == null || username.isBlank();
    }

    public boolean secure() {
        return securityPolicy != SecurityPolicy.None;
    }

    /** The host as configured; the gateway's own advertised host name may not resolve here. */
    public String host() {
        return URI.create(endpoint).getHost();
    }

    public int port() {
        int port = URI.create(endpoint).getPort();
        return port < 0 ? 4840 : port;
    }

    public Path pkiDir() {
        return dataDir.resolve("pki");
    }

    /** Policy and mode as one line for logs and status, e.g. {@code Basic256Sha256/SignAndEncrypt}. */
    public String security() {
        return secure() ? securityPolicy.name() + "/" + securityMode.name() : "None";
    }
}
