package com.plantbridge.mirror;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.plantbridge.peer.PeerKeys;
import com.plantbridge.settings.Secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsCryptoTest {

    private static final byte[] SETTINGS = "connectors:\n  - name: line-1\n    token: mx-token-do-not-leak\n".getBytes(StandardCharsets.UTF_8);
    private final SettingsCrypto crypto = new SettingsCrypto(PeerKeys.derive(Secret.of("the-shared-peer-secret-of-the-pair-0123")).settingsKey());

    @Test
    void whatIsSealedOpensWithTheSameKeyAndShowsNoToken() throws Exception {
        String sealed = crypto.encrypt(SETTINGS);

        assertThat(sealed).doesNotContain("mx-token");
        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("mx-token");
        assertThat(crypto.decrypt(sealed)).isEqualTo(SETTINGS);
    }

    @Test
    void theSameDocumentSealsDifferentlyEachTime() {
        assertThat(crypto.encrypt(SETTINGS)).isNotEqualTo(crypto.encrypt(SETTINGS));
    }

    @Test
    void oneChangedByteAnywhereIsRefused() {
        byte[] sealed = Base64.getDecoder().decode(crypto.encrypt(SETTINGS));
        for (int i : new int[] {0, 11, 12, sealed.length / 2, sealed.length - 1}) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> crypto.decrypt(Base64.getEncoder().encodeToString(tampered)))
                    .as("byte %d changed", i).isInstanceOf(GeneralSecurityException.class);
        }
        assertThatThrownBy(() -> crypto.decrypt("AAAA")).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void anotherSecretCannotOpenIt() {
        SettingsCrypto other = new SettingsCrypto(PeerKeys.derive(Secret.of("another-peer-secret-of-another-pair-0123")).settingsKey());

        assertThatThrownBy(() -> other.decrypt(crypto.encrypt(SETTINGS))).isInstanceOf(GeneralSecurityException.class);
    }
}
