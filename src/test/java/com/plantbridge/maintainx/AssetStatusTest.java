package com.plantbridge.maintainx;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.maintainx.AssetStatusChange;
import com.plantbridge.testing.FolderSite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A boolean tag with an asset-status drives its asset's status in MaintainX: on a change of the
 * status its value stands for only, through the outbox and sender (an answer 503 is retried, not
 * lost), and not again after a restart when MaintainX already holds it.
 */
class AssetStatusTest {

    private static final String RUNNING = FolderSite.FOLDER + "/Running";
    private static final long ASSET = 7;
    private static final String SETTINGS = """
            connectors:
              - name: line-2
                token: folder-token
                tags:
                  - path: "[default]Line2/Running"
                    asset-status:
                      asset-id: 7
                      online-when: [true]
            """;

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
    void aStatusTagPostsTheAssetsStatusOnChangeOnlyThroughTheOutboxAndNotAgainAfterARestart() throws Exception {
        site = FolderSite.start(workDir, SETTINGS);
        awaitSubscribed();
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(statuses()).as("the current value, never posted before").containsExactly("ONLINE"));

        site.gateway.writeTag(RUNNING, true);    // the same status: nothing to post
        site.gateway.writeTag(RUNNING, false);
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(statuses()).containsExactly("ONLINE", "OFFLINE"));

        site.sandbox.failNext(2, 503);          // MaintainX has a bad moment: the change waits in the outbox
        site.gateway.writeTag(RUNNING, true);
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(statuses()).containsExactly("ONLINE", "OFFLINE", "ONLINE"));
        assertThat(site.sandbox.requests()).filteredOn(r -> r.path().endsWith("/assets/7/status") && r.status() == 503)
                .as("the first tries were refused and retried").isNotEmpty();
        site.gateway.writeTag(RUNNING, false);
        site.gateway.writeTag(RUNNING, false);
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(statuses()).containsExactly("ONLINE", "OFFLINE", "ONLINE", "OFFLINE"));
        await().atMost(FolderSite.WAIT).until(() -> connector().get("pending").asInt() == 0 && connector().get("inFlight").asInt() == 0);

        site.node.close();
        site.startNode(SETTINGS);
        awaitSubscribed();
        await().atMost(FolderSite.WAIT).until(() -> connector().get("valuesReceived").asInt() >= 1);
        site.gateway.writeTag(RUNNING, true);
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(statuses())
                .as("OFFLINE, held by MaintainX, not posted again at the restart").containsExactly("ONLINE", "OFFLINE", "ONLINE", "OFFLINE", "ONLINE"));
        assertThat(site.sandbox.meters()).as("a status tag without meter-id gets no meter").isEmpty();
    }

    private List<String> statuses() {
        return site.sandbox.assetStatuses(ASSET).stream().map(AssetStatusChange::status).toList();
    }

    private JsonNode connector() {
        return site.node.connectorStatus(FolderSite.CONNECTOR);
    }

    private void awaitSubscribed() {
        await().atMost(FolderSite.WAIT).until(() -> connector().get("subscribed").asBoolean() && connector().get("tagsSubscribed").asInt() == 1);
    }
}
