package com.plantbridge.peer;

import org.junit.jupiter.api.Test;

import com.plantbridge.settings.Secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerKeysTest {

    private static final String SECRET = "a-peer-secret-of-forty-characters-123456";

    @Test
    void aSecretShorterThan32CharactersIsRefusedNamingTheKeyButNotTheSecret() {
        assertThatThrownBy(() -> PeerKeys.derive(Secret.of("short-but-not-empty-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bridge.peer.secret: must be at least 32 characters, it has 26")
                .hasMessageNotContaining("short-but-not-empty-secret");
        assertThatThrownBy(() -> PeerKeys.derive(Secret.of("")))
                .hasMessageStartingWith("bridge.peer.secret: must be set");
    }

    @Test
    void theSigningAndEncryptionKeysAreDifferentAndNeitherIsTheSecret() {
        PeerKeys keys = PeerKeys.derive(Secret.of(SECRET));

        assertThat(keys.signingKey().getEncoded()).hasSize(32).isNotEqualTo(keys.settingsKey().getEncoded());
        assertThat(new String(keys.signingKey().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
        assertThat(keys.settingsKey().getAlgorithm()).isEqualTo("AES");
        assertThat(keys.toString()).doesNotContain(SECRET);
    }

    @Test
    void bothNodesDeriveTheSameKeysFromTheSameSecret() {
        assertThat(PeerKeys.derive(Secret.of(SECRET)).settingsKey().getEncoded())
                .isEqualTo(PeerKeys.derive(Secret.of(SECRET)).settingsKey().getEncoded());
        assertThat(PeerKeys.derive(Secret.of(SECRET)).signingKey().getEncoded())
                .isNotEqualTo(PeerKeys.derive(Secret.of(SECRET + "x")).signingKey().getEncoded());
    }
}
