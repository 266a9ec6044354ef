package com.plantbridge.tags;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.maintainx.MeterNames;
import com.plantbridge.testing.FolderSite;
import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A folder holding more tags than bridge.max-tags-per-connector is reported (status, readiness,
 * one ERROR naming the connector and the counts) and the connector keeps streaming its first tags
 * in a stable order (by path), scan after scan, without a crash.
 */
class TagLimitTest {

    /** The folder's simple tags by path: the first four are within a limit of 4. */
    private static final List<String> FIRST = List.of(FolderSite.FOLDER + "/Area/Deep/Level", FolderSite.FOLDER + "/Area/Temp",
            FolderSite.FOLDER + "/Count", FolderSite.FOLDER + "/Motor/Rpm");
    private static final List<String> OVER = List.of(FolderSite.FOLDER + "/Running", FolderSite.FOLDER + "/Speed");

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
    void aFolderOverTheLimitIsReportedOnceAndItsFirstTagsByPathKeepStreaming() throws Exception {
        try (LogCapture log = new LogCapture()) {
            site = FolderSite.start(workDir, FolderSite.settings("rescan-interval: 1h"), "bridge.max-tags-per-connector", 4);
            site.awaitSubscribed();

            JsonNode folders = site.connector().get("folders");
            assertThat(folders.get("overLimit").asBoolean()).isTrue();
            assertThat(folders.get("tagsFound").asInt()).isEqualTo(6);
            assertThat(folders.get("tagsMonitored").asInt()).isEqualTo(4);
            assertThat(folders.get("tagsNotMonitored").asInt()).isEqualTo(2);
            assertThat(folders.get("maxTags").asInt()).isEqualTo(4);
            assertThat(site.gateway.monitoredItemCount()).isEqualTo(4);
            await().atMost(FolderSite.WAIT).untilAsserted(() -> {
                var ready = site.node.managementGet("/observe/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("tag-limits").contains("Connector line-2: 6 tags, more than the 4 allowed");
            });
            for (String tag : FIRST) {
                site.awaitMeter(tag);
            }
            site.gateway.writeTag(FolderSite.FOLDER + "/Motor/Rpm", 1480.0);
            await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(FolderSite.FOLDER + "/Motor/Rpm")).endsWith(1480.0));

            assertThat(site.node.post("/api/rescan?connector=line-2").statusCode()).isEqualTo(202);
            await().atMost(FolderSite.WAIT).until(() -> log.lines(Level.INFO, "scan of 1 folders (").size() >= 2);
            assertThat(site.gateway.monitoredItemCount()).as("the same first four after the rescan").isEqualTo(4);
            for (String tag : OVER) {
                assertThat(site.sandbox.metersNamed(MeterNames.of(FolderSite.CONNECTOR, tag))).as(tag + " is over the limit").isEmpty();
            }
            assertThat(site.sandbox.meters()).hasSize(4);
            List<LogCapture.Line> errors = log.lines(Level.ERROR, "Connector line-2");
            assertThat(errors).as("one ERROR for the node's life, not one per scan").hasSize(1);
            assertThat(errors.get(0).message()).contains("hold 6 tags, more than the 4").contains("the first 4").contains("2 are not monitored");
            assertThat(site.node.context().getStatus().isStarted()).isTrue();
            assertThat(site.node.managementGet("/observe/health/live").statusCode()).as("liveness untouched").isEqualTo(200);
        }
    }
}
