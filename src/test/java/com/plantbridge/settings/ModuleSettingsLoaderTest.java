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
                    auto-create-meters: true
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
        assertThat(line1.folders()).extracting(FolderSettings::path).containsExactly("[default]Line2");
        assertThat(line1.rescanInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(line1.defaultUnit()).isEqualTo("Units");
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
                .hasMessage("maintainx.yaml: connectors[0].tags[1].meter-id: is required (or set auto-create-meters: true on the connector"
                        + " and the node finds or creates a meter for the tag)");
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

    @Test
    void anOverflowingDurationIsRefusedNamingTheKeyNotWrappedOrThrown() {
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    min-interval: 99999999999999999999h\n"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("f.yaml: connectors[0].min-interval: must be at most 30 days (720h), got 99999999999999999999h");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    min-interval: 99999999999999999999\n"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("connectors[0].min-interval: must be at most 30 days");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    min-interval: 721h\n"))
                .hasMessageContaining("connectors[0].min-interval: must be at most 30 days");
        assertThat(loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    min-interval: 720h\n")
                .connector("a").orElseThrow().minInterval()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aMeterIdBeyondWhatAJsonNumberHoldsIsRefusedNotTurnedIntoAnotherNumber() {
        assertThatThrownBy(() -> loader.parse("f.yaml", tag("99999999999999999999999")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("f.yaml: connectors[0].tags[0].meter-id: must be a whole number from 1 to 9007199254740991"
                        + " (the largest id MaintainX can send as a JSON number), got 99999999999999999999999");
        assertThatThrownBy(() -> loader.parse("f.yaml", tag("9007199254740992"))).hasMessageContaining("got 9007199254740992");
        assertThatThrownBy(() -> loader.parse("f.yaml", tag("0"))).hasMessageContaining("meter-id: must be a positive whole number, got '0'");
        assertThatThrownBy(() -> loader.parse("f.yaml", tag("-5"))).hasMessageContaining("meter-id: must be a positive whole number, got '-5'");
        assertThatThrownBy(() -> loader.parse("f.yaml", tag("1.5"))).hasMessageContaining("meter-id: must be a positive whole number, got '1.5'");
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    organization-id: 99999999999999999999999\n"))
                .hasMessageContaining("connectors[0].organization-id: must be a whole number from 1");
        assertThat(loader.parse("f.yaml", tag("9007199254740991")).connector("a").orElseThrow().tags().get(0).meterId())
                .isEqualTo(9_007_199_254_740_991L);
    }

    private static String tag(String meterId) {
        return "connectors:\n  - name: a\n    token: t\n    tags:\n      - path: x\n        meter-id: " + meterId + "\n";
    }

    @Test
    void twoTagsOnOneMeterAreRefusedNamingBothTags() {
        assertThatThrownBy(() -> loader.parse("f.yaml", """
                connectors:
                  - name: line-1
                    token: t
                    tags:
                      - path: "[default]Line1/Speed"
                        meter-id: 101
                      - path: "[default]Line1/Rate"
                        meter-id: 101
                """)).hasMessage("f.yaml: connectors[0].tags[1].meter-id: meter 101 is already used by tag '[default]Line1/Speed' of connector line-1;"
                + " tag '[default]Line1/Rate' of connector line-1 needs a meter of its own");
        assertThatThrownBy(() -> loader.parse("f.yaml", """
                connectors:
                  - name: line-1
                    token: t
                    tags:
                      - path: "[default]Line1/Speed"
                        meter-id: 101
                  - name: line-2
                    token: u
                    tags:
                      - path: "[default]Line2/Speed"
                        meter-id: 101
                """)).hasMessageStartingWith("f.yaml: connectors[1].tags[0].meter-id: meter 101 is already used by tag '[default]Line1/Speed' of connector line-1");
    }

    @Test
    void aSyntaxErrorOnTheTokenLineIsReportedByLineAndColumnWithoutTheToken() {
        String token = "mx-9f8e7d6c5b4a";
        for (String line : new String[] {
                "    token: \"" + token + "\n    tags: []\n",
                "    token: " + token + ": x\n",
                "    token: '" + token + "'x\n",
                "    token: \"" + token + "\\q\"\n",
                "    token:\t" + token + "\n  - [\n"}) {
            assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n" + line))
                    .as(line)
                    .isInstanceOf(InvalidSettingsException.class)
                    .hasMessageStartingWith("f.yaml: not valid YAML at line ")
                    .hasMessageContaining(", column ")
                    .hasMessageNotContaining(token)
                    .hasMessageNotContaining("mx-");
        }
    }

    @Test
    void theDocumentedMaximumOf20ConnectorsWith6000TagsOf100CharacterPathsIsAccepted() {
        StringBuilder yaml = new StringBuilder(22_000_000).append("connectors:\n");
        long meter = 1_000_000_000L;
        SettingsLimits limits = SettingsLimits.defaults();
        for (int c = 0; c < limits.maxConnectors(); c++) {
            yaml.append("  - name: line-").append(c).append("\n    token: token-").append(c).append("\n    tags:\n");
            for (int t = 0; t < limits.maxTagsPerConnector(); t++) {
                String path = String.format("[default]Plant/Area-%02d/Line-%04d/", c, t);
                path = path + "x".repeat(100 - path.length());
                yaml.append("      - path: \"").append(path).append("\"\n        meter-id: ").append(meter++).append("\n        deadband: 0.125\n");
            }
        }
        assertThat(yaml.length()).isGreaterThan(3_145_728 * 6);

        ModuleSettings settings = loader.parse("f.yaml", yaml.toString());

        assertThat(settings.connectors()).hasSize(20).allSatisfy(c -> assertThat(c.tags()).hasSize(6000));
    }

    @Test
    void aFileBeyondTheLoadersLimitIsRefusedWithTheLimitNamed() {
        ModuleSettingsLoader small = new ModuleSettingsLoader(Map.<String, String>of()::get, 1_000);
        String big = "connectors:\n  - name: a\n    token: t\n    tags:\n" + "      - path: \"p\"\n        meter-id: 1\n".repeat(100);

        assertThatThrownBy(() -> small.parse("f.yaml", big)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("f.yaml: not valid YAML").hasMessageContaining("1000");
    }

    @Test
    void aKeyWithNothingAfterItIsAbsent() {
        assertThat(loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    tags:\n").connector("a").orElseThrow().tags()).isEmpty();
    }

    @Test
    void aDocumentOfOnlyCommentsOrBlanksHasNoContent() {
        assertThat(loader.hasContent("")).isFalse();
        assertThat(loader.hasContent("  \n\t\n")).isFalse();
        assertThat(loader.hasContent("# nothing here\n")).isFalse();
        assertThat(loader.hasContent("connectors: []\n")).isTrue();
    }

    @Test
    void readsFoldersAutomaticMetersAndAssetStatus() {
        ModuleSettings settings = loader.parse("maintainx.yaml", """
                connectors:
                  - name: line-2
                    token: t
                    auto-create-meters: true
                    asset-id: 40
                    default-unit: Liters
                    rescan-interval: 10m
                    tags:
                      - path: "[default]Line1/Running"
                        asset-status:
                          asset-id: 7
                          online-when: [1, true]
                      - path: "[default]Line1/Speed"
                    folders:
                      - path: "[default]Line2"
                        asset-id: 41
                        asset-status:
                          tag: Motor/State
                          online-when: [2, 3]
                          offline-when: [0]
                      - path: "[default]Line3"
                """);

        ConnectorSettings line2 = settings.connector("line-2").orElseThrow();
        assertThat(line2.rescanInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(line2.defaultUnit()).isEqualTo("Liters");
        assertThat(line2.assetId()).isEqualTo(40L);
        assertThat(line2.tags()).extracting(TagSettings::meterId).containsExactly(null, null);
        AssetStatusSettings running = line2.tags().get(0).assetStatus();
        assertThat(running.assetId()).isEqualTo(7);
        assertThat(running.onlineWhen()).containsExactly(1.0, 1.0);
        FolderSettings folder = line2.folders().get(0);
        assertThat(folder.assetId()).isEqualTo(41L);
        assertThat(folder.statusTagPath()).isEqualTo("[default]Line2/Motor/State");
        assertThat(folder.assetStatus().assetId()).as("a folder's status drives the folder's asset unless it names one").isEqualTo(41);
        assertThat(line2.folders().get(1).assetStatus()).isNull();
    }

    @Test
    void aFolderNeedsAutomaticMetersBecauseItsTagsHaveNoMeterId() {
        assertThatThrownBy(() -> loader.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n    folders:\n      - path: \"[default]L\"\n"))
                .hasMessageStartingWith("f.yaml: connectors[0].folders: a folder's tags have no meter-id: set auto-create-meters: true");
    }

    @Test
    void aTagThatOnlyDrivesAnAssetStatusNeedsNoMeter() {
        ConnectorSettings c = loader.parse("f.yaml", """
                connectors:
                  - name: a
                    token: t
                    tags:
                      - path: "[default]L/Running"
                        asset-status: {asset-id: 3, online-when: [true]}
                """).connector("a").orElseThrow();

        assertThat(c.tags().get(0).meterId()).isNull();
        assertThat(c.tags().get(0).assetStatus().statusOf(1)).isEqualTo(AssetStatusSettings.Status.ONLINE);
        assertThat(c.tags().get(0).assetStatus().statusOf(0)).isEqualTo(AssetStatusSettings.Status.OFFLINE);
    }

    @Test
    void refusesBadAssetStatusSettingsNamingTheKey() {
        String head = "connectors:\n  - name: a\n    token: t\n    auto-create-meters: true\n";
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    tags:\n      - path: p\n        asset-status: {online-when: [1]}\n"))
                .hasMessage("f.yaml: connectors[0].tags[0].asset-status.asset-id: is required");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    tags:\n      - path: p\n        asset-status: {asset-id: 1}\n"))
                .hasMessage("f.yaml: connectors[0].tags[0].asset-status.online-when: is required: the values that mean ONLINE, e.g. [1, true]");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    tags:\n      - path: p\n        asset-status: {asset-id: 1, online-when: [running]}\n"))
                .hasMessage("f.yaml: connectors[0].tags[0].asset-status.online-when[0]: must be a number or true/false (an integer or boolean tag's value), got 'running'");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    tags:\n      - path: p\n        asset-status: {asset-id: 1, online-when: [1], offline-when: [true]}\n"))
                .hasMessage("f.yaml: connectors[0].tags[0].asset-status.offline-when: value 1 is also in online-when");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    tags:\n      - path: p\n        asset-status: {asset-id: 1, tag: x, online-when: [1]}\n"))
                .hasMessageStartingWith("f.yaml: connectors[0].tags[0].asset-status.tag: unknown key");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    folders:\n      - path: \"[default]L\"\n        asset-status: {asset-id: 1, online-when: [1]}\n"))
                .hasMessage("f.yaml: connectors[0].folders[0].asset-status.tag: is required");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    folders:\n      - path: \"[default]L\"\n        asset-status: {tag: R, online-when: [1]}\n"))
                .hasMessage("f.yaml: connectors[0].folders[0].asset-status.asset-id: is required (or set asset-id on the folder or the connector)");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    tags:\n      - path: p\n        asset-status: {asset-id: 1, online-when: [1]}\n"
                + "      - path: q\n        asset-status: {asset-id: 1, online-when: [1]}\n"))
                .hasMessage("f.yaml: connectors[0].tags[1].asset-status.asset-id: the status of asset 1 is already driven by tag 'p' of connector a; one tag per asset");
    }

    @Test
    void refusesBadFolderAndRescanSettingsNamingTheKey() {
        String head = "connectors:\n  - name: a\n    token: t\n    auto-create-meters: true\n";
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    rescan-interval: 500ms\n"))
                .hasMessage("f.yaml: connectors[0].rescan-interval: must be at least 1s, got 500ms");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    rescan-interval: often\n"))
                .hasMessage("f.yaml: connectors[0].rescan-interval: must be a duration such as 500ms, 10s, 5m or 1h, got 'often'");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    folders:\n      - path: x\n      - path: x\n"))
                .hasMessage("f.yaml: connectors[0].folders[1].path: folder 'x' is listed twice in this connector");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    folders:\n      - path: x\n        recursive: true\n"))
                .hasMessageStartingWith("f.yaml: connectors[0].folders[0].recursive: unknown key");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    asset-id: -3\n"))
                .hasMessage("f.yaml: connectors[0].asset-id: must be a positive whole number, got '-3'");
        assertThatThrownBy(() -> loader.parse("f.yaml", head + "    default-unit: \"\"\n"))
                .hasMessageStartingWith("f.yaml: connectors[0].default-unit: ");
    }

    @Test
    void theNodesLimitsAreTheOnesApplied() {
        ModuleSettingsLoader small = new ModuleSettingsLoader(Map.<String, String>of()::get, ModuleSettingsLoader.MAX_CODE_POINTS, new SettingsLimits(2, 3));
        String tags = "    tags:\n" + "      - path: p%d\n        meter-id: %d\n".repeat(4);

        assertThatThrownBy(() -> small.parse("f.yaml", "connectors:\n  - name: a\n    token: t\n" + String.format(tags, 1, 1, 2, 2, 3, 3, 4, 4)))
                .hasMessage("f.yaml: connectors[0].tags: at most 3 tags per connector are supported (bridge.max-tags-per-connector), found 4");
        assertThatThrownBy(() -> small.parse("f.yaml", "connectors:\n  - name: a1\n    token: t\n  - name: a2\n    token: t\n  - name: a3\n    token: t\n"))
                .hasMessage("f.yaml: connectors: at most 2 connectors are supported on a node (bridge.max-connectors), found 3");
        assertThat(SettingsLimits.defaults()).isEqualTo(new SettingsLimits(20, 6000));
    }
}
