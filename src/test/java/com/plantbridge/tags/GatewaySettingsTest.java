package com.plantbridge.tags;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OPC UA security settings as an operator writes them, and the errors that name the key. */
class GatewaySettingsTest {

    @Test
    void everyPolicyMiloImplementsAndIgnitionOffersIsAcceptedByItsName() {
        assertThat(GatewaySettings.policy("Basic256Sha256")).isEqualTo(SecurityPolicy.Basic256Sha256);
        assertThat(GatewaySettings.policy("aes128_sha256_rsaoaep")).isEqualTo(SecurityPolicy.Aes128_Sha256_RsaOaep);
        assertThat(GatewaySettings.policy(" Aes256_Sha256_RsaPss ")).isEqualTo(SecurityPolicy.Aes256_Sha256_RsaPss);
        assertThat(GatewaySettings.policy("None")).isEqualTo(SecurityPolicy.None);
    }

    @Test
    void aDeprecatedOrMistypedPolicyIsRefusedNamingTheKeyAndTheChoices() {
        assertThatThrownBy(() -> GatewaySettings.policy("Basic128Rsa15"))
                .hasMessageStartingWith("ignition.opcua.security-policy: must be one of [None, Basic256Sha256")
                .hasMessageContaining("got 'Basic128Rsa15'");
    }

    @Test
    void theModeDefaultsToSignAndEncryptForASecurePolicyAndNoneOtherwise() {
        assertThat(GatewaySettings.mode("", SecurityPolicy.Basic256Sha256)).isEqualTo(MessageSecurityMode.SignAndEncrypt);
        assertThat(GatewaySettings.mode("sign", SecurityPolicy.Basic256Sha256)).isEqualTo(MessageSecurityMode.Sign);
        assertThat(GatewaySettings.mode("", SecurityPolicy.None)).isEqualTo(MessageSecurityMode.None);
    }

    @Test
    void aModeThatDoesNotGoWithThePolicyIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> GatewaySettings.mode("Sign", SecurityPolicy.None))
                .hasMessageStartingWith("ignition.opcua.security-mode: 'Sign' needs a secure ignition.opcua.security-policy");
        assertThatThrownBy(() -> GatewaySettings.mode("None", SecurityPolicy.Basic256Sha256))
                .hasMessageStartingWith("ignition.opcua.security-mode: must be Sign or SignAndEncrypt with policy Basic256Sha256");
        assertThatThrownBy(() -> GatewaySettings.mode("Encrypt", SecurityPolicy.Basic256Sha256))
                .hasMessageContaining("got 'Encrypt'");
    }
}
