package com.plantbridge.tags;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.maintainx.MeterNames;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.testing.FolderSite;
import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connector that names a folder monitors every simple numeric and boolean tag under it, at any
 * depth and inside UDT instances, found by browsing the gateway over OPC UA; the rest is skipped
 * and counted per reason, in status and in one log line per scan.
 */
class FolderScanTest {

    @TempDir
    Path workDir;
    private FolderSite site;

    @AfterEach
    void close() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void onlyTheSimpleTagsOfAFolderAndItsSubfoldersAreMonitoredAndTheOthersAreCountedPerReason() throws Exception {
        try (LogCapture log = new LogCapture()) {
            site = FolderSite.start(workDir, FolderSite.settings());
            site.awaitSubscribed();

            JsonNode folders = site.connector().get("folders");
            assertThat(folders.get("tagsMonitored").asInt()).isEqualTo(FolderSite.SIMPLE.size());
            assertThat(folders.get("skipped").asInt()).isEqualTo(FolderSite.OTHERS.size());
            assertThat(folders.get("skippedByReason").toString()).isEqualTo("{\"DateTime\":1,\"String\":2,\"array\":2}");
            assertThat(folders.get("skippedTags").findValuesAsText("tag")).containsExactlyInAnyOrderElementsOf(FolderSite.OTHERS.keySet());
            assertThat(site.node.statusList(FolderSite.CONNECTOR, "skipped").get("items").findValuesAsText("reason"))
                    .containsExactlyElementsOf(new java.util.TreeMap<>(FolderSite.OTHERS).values());
            assertThat(site.connector().get("tagsSubscribed").asInt()).isEqualTo(FolderSite.SIMPLE.size());
            assertThat(site.gateway.monitoredItemCount()).as("items on the gateway: the simple tags only").isEqualTo(FolderSite.SIMPLE.size());
            var scans = log.lines(Level.INFO, "Connector line-2: scan of 1 folders (start): found 6 tags, monitoring 6, added 6, removed 0, skipped 5");
            assertThat(scans).hasSize(1);
            assertThat(scans.get(0).message()).contains("{DateTime=1, String=2, array=2}");

            for (String tag : FolderSite.SIMPLE.keySet()) {
                site.awaitMeter(tag);
            }
            site.gateway.writeTag(FolderSite.FOLDER + "/Area/Deep/Level", (short) 4);
            site.gateway.writeTag(FolderSite.FOLDER + "/Motor/Rpm", 1480.0);
            site.gateway.writeTag(FolderSite.FOLDER + "/Recipe", "recipe-b");
            await().atMost(FolderSite.WAIT).untilAsserted(() -> {
                assertThat(site.values(FolderSite.FOLDER + "/Area/Deep/Level")).endsWith(4.0);
                assertThat(site.values(FolderSite.FOLDER + "/Motor/Rpm")).endsWith(1480.0);
            });
            assertThat(site.sandbox.metersNamed(MeterNames.of(FolderSite.CONNECTOR, FolderSite.FOLDER + "/Recipe"))).isEmpty();
        }
    }

    @Test
    void createdMetersAreAutomatedNamedAfterConnectorAndTagWithTheTagsUnitOrTheDefaultAndTheFoldersAsset() throws Exception {
        site = FolderSite.start(workDir, FolderSite.settings("default-unit: Cycles", "asset-id: 90",
                "folders:", "  - path: \"" + FolderSite.FOLDER + "\"", "    asset-id: 91"));
        site.awaitSubscribed();

        long speed = site.awaitMeter(FolderSite.FOLDER + "/Speed");
        long count = site.awaitMeter(FolderSite.FOLDER + "/Count");
        MaintainxSandbox.MeterInfo speedMeter = site.sandbox.meters().stream().filter(m -> m.id() == speed).findFirst().orElseThrow();
        MaintainxSandbox.MeterInfo countMeter = site.sandbox.meters().stream().filter(m -> m.id() == count).findFirst().orElseThrow();
        assertThat(speedMeter.name()).isEqualTo("line-2: [default]Line2/Speed");
        assertThat(speedMeter.measurementType()).isEqualTo("AUTOMATED_SENSOR");
        assertThat(speedMeter.unit()).as("the tag's engineering units").isEqualTo("MetersPerSecond");
        assertThat(countMeter.unit()).as("no engineering units: default-unit").isEqualTo("Cycles");
        assertThat(speedMeter.assetId()).as("the folder's asset").isEqualTo(91L);
        await().atMost(FolderSite.WAIT).until(() -> site.connector().get("autoMeters").get("mapped").asInt() == FolderSite.SIMPLE.size());
        assertThat(site.node.statusList(FolderSite.CONNECTOR, "meters").get("items").findValuesAsText("tag"))
                .containsExactlyInAnyOrderElementsOf(FolderSite.SIMPLE.keySet());
        assertThat(site.connector().get("autoMeters").get("meters")).as("status shows the first few").hasSize(5);
        // The current values were never in MaintainX: each is sent once to its new meter.
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(FolderSite.FOLDER + "/Speed")).containsExactly(12.5));
        assertThat(site.values(FolderSite.FOLDER + "/Running")).containsExactly(1.0);
    }

    @Test
    void listedTagsKeepTheirOwnMeterAndDeadbandWhenTheFolderHoldsThemToo() throws Exception {
        site = FolderSite.start(workDir, """
                connectors:
                  - name: line-2
                    token: folder-token
                    auto-create-meters: true
                    tags:
                      - path: "[default]Line2/Speed"
                        meter-id: 777
                        deadband: 1.0
                    folders:
                      - path: "[default]Line2"
                """);
        site.sandbox.meter(777, "Line 2 speed (by hand)");
        site.awaitSubscribed();
        site.awaitMeter(FolderSite.FOLDER + "/Count");

        site.gateway.writeTag(FolderSite.FOLDER + "/Speed", 13.0);   // inside the listed tag's deadband
        site.gateway.writeTag(FolderSite.FOLDER + "/Speed", 14.0);
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.sandbox.readings(777).stream().map(r -> r.value()).toList())
                .endsWith(14.0).doesNotContain(13.0));
        assertThat(site.sandbox.metersNamed(MeterNames.of(FolderSite.CONNECTOR, FolderSite.FOLDER + "/Speed"))).isEmpty();
        assertThat(site.connector().get("folders").get("tagsMonitored").asInt()).isEqualTo(FolderSite.SIMPLE.size());
        assertThat(site.gateway.monitoredItemCount()).isEqualTo(FolderSite.SIMPLE.size());
    }

    @Test
    void aGatewayWhoseOpcUaServerComesUpSecondsAfterTheNodeStillHasItsFoldersScanned() throws Exception {
        site = FolderSite.create(workDir);
        site.gateway.stopOpcUa();
        site.startNode(FolderSite.settings("rescan-interval: 1h"));
        Thread.sleep(3 * FolderRescans.RETRY_MS);   // several scan attempts find no session
        site.gateway.startOpcUa();

        site.awaitSubscribed();
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(FolderSite.FOLDER + "/Speed")).containsExactly(12.5));
    }

    @Test
    void aFolderTheGatewayDoesNotHaveIsReportedAndTheOtherFoldersStream() throws Exception {
        site = FolderSite.start(workDir, FolderSite.settings("folders:", "  - path: \"[default]Line9\"",
                "  - path: \"" + FolderSite.FOLDER + "/Area\""));
        site.awaitSubscribed();

        JsonNode folders = site.connector().get("folders");
        assertThat(folders.get("problems").get("[default]Line9").asText()).contains("Bad_NodeIdUnknown");
        assertThat(folders.get("tagsMonitored").asInt()).isEqualTo(2);
        List<String> area = List.of(FolderSite.FOLDER + "/Area/Temp", FolderSite.FOLDER + "/Area/Deep/Level");
        for (String tag : area) {
            site.awaitMeter(tag);
        }
    }
}
