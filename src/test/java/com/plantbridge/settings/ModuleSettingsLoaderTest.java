package com.plantbridge.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleSettingsLoaderTest {

    private final ModuleSettingsLoader loader = new ModuleSettingsLoader(Map.of("LINE1_TOKEN", "secret-from-env")::get);

    @Test
    void readsTheDocumentedSchema() {
        ModuleSettings settings = loader.parse("maintainx.yaml", """
                connectors:
                  - name: line-1
                    token: "${LINE1_TOKEN}"
                    organization-id: 12345
                    deadband: 0.5
                    min-interval: 2s
                    tags:
                      - path: "[default]Line1/Speed"
                        meter-id: 101
                      - path: "[default]Line1/Temp"
                        meter-id: 102
                        deadband: 0.1
                    folders:
                      - path: "[default]Line2"
                  - name: line-2
                    enabled: false
                    token: literal
                """);

        ConnectorSettings line1 = settings.connector("line-1").orElseThrow();
        assertThat(line1.enabled()).isTrue();
        assertThat(line1.token().reveal()).isEqualTo("secret-from-env");
        assertThat(line1.token().toString()).doesNotContain("secret");
        assertThat(line1.organizationId()).isEqualTo(12345L);
        assertThat(line1.minInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(line1.tags()).extracting(TagSettings::meterId).containsExactly(101L, 102L);
        assertThat(line1.tags().get(0).deadbandOr(line1.deadband())).isEqualTo(0.5);
        assertThat(line1.tags().get(1).deadbandOr(line1.deadband())).isEqualTo(0.1);
        assertThat(line1.folders()).containsExactly("[default]Line2");
        assertThat(settings.enabledConnectors()).extracting(ConnectorSettings::name).containsExactly("line-1");
    }

    @Test
    void namesTheKeyOfAMissingMeterId() {
        assertThatThrownBy(() -> loader.parse("maintainx.yaml", """
                connectors:
                  - name: line-1
                    token: t
                    tags:
                      - path: a
                        meter-id: 1
                      - path: b
                """)).isInstanceOf(InvalidSettingsException.class)
                .hasMessage("maintainx.yaml: connectors[0].tags[1].meter-id: is required");
    }

    @Test
    void namesAnUnknownKeySoATypoIsNotSilentlyIgnored() {
        assertThatThrownBy(() -> loader.parse("maintainx.yaml", """
                connectors:
                  - name: line-1
                    token: t
                    deadbnd: 2
                """)).hasMessageStartingWith("maintainx.yaml: connectors[0].deadbnd: unknown key");
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    deadband: -1\n"))
                .hasMessage("f.yaml: connectors[0].deadband: must be a number >= 0, got '-1'");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    min-interval: soon\n"))
                .hasMessageContaining("connectors[0].min-interval: must be a duration");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n  - name: a\n    token: u\n"))
                .hasMessage("f.yaml: connectors[1].name: duplicate connector name 'a'");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    tags:\n      - path: x\n        meter-id: abc\n"))
                .hasMessage("f.yaml: connectors[0].tags[0].meter-id: must be a positive whole number, got 'abc'");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors: [\n"))
                .hasMessageStartingWith("f.yaml: not valid YAML at line");
    }

    @Test
    void aMissingEnvironmentVariableIsNamedAndTheTokenNeverEchoed() {
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: \"${NOT_SET_ANYWHERE}\"\n"))
                .hasMessage("f.yaml: connectors[0].token: environment variable NOT_SET_ANYWHERE is not set");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: 123456789\n"))
                .hasMessageContaining("connectors[0].token")
                .hasMessageNotContaining("123456789");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("maintainx.yaml");
        assertThatThrownBy(() -> loader.load(missing)).hasMessageStartingWith(missing + ": file not found");
    }

    @Test
    void anEmptyFileMeansNoConnectors(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("maintainx.yaml"), "");
        assertThat(loader.load(empty).connectors()).isEmpty();
    }
}
