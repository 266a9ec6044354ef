package com.plantbridge.maintainx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.sim.maintainx.AssetStatusChange;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;
import com.plantbridge.testing.FolderSite;
import com.plantbridge.testing.PairFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a failover, the Backup's node sends to the meters the Master's node created (found by
 * name, none created a second time), and the asset status the Master's node posted is not posted
 * again for the same value.
 */
class AutoMeterFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CONNECTOR = "line-1";
    private static final String SPEED = FolderSite.FOLDER + "/Speed";
    private static final String RUNNING = FolderSite.FOLDER + "/Running";
    private static final long ASSET = 7;
    private static final String SETTINGS = """
            connectors:
              - name: line-1
                token: pair-token
                auto-create-meters: true
                folders:
                  - path: "[default]Line2"
                    asset-status:
                      tag: Running
                      asset-id: 7
                      online-when: [true]
            """;

    @TempDir
    Path workDir;
    private PairFixture pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void theBackupsNodeSendsToTheMetersTheMastersNodeCreatedAndPostsNoStatusAgain() throws Exception {
        pair = PairFixture.withSettings(workDir, FolderSite::addFolder, SETTINGS);
        pair.awaitSoleLeader(pair.masterNode);
        for (String tag : FolderSite.SIMPLE.keySet()) {
            await().atMost(WAIT).until(() -> pair.sandbox.metersNamed(MeterNames.of(CONNECTOR, tag)).size() == 1);
        }
        long speed = pair.sandbox.metersNamed(MeterNames.of(CONNECTOR, SPEED)).get(0).id();
        await().atMost(WAIT).untilAsserted(() -> assertThat(values(speed)).containsExactly(12.5));
        await().atMost(WAIT).untilAsserted(() -> assertThat(statuses()).containsExactly("ONLINE"));
        List<MaintainxSandbox.MeterInfo> created = pair.sandbox.meters();
        await().atMost(WAIT).until(() -> pair.masterNode.connectorStatus(CONNECTOR).get("pending").asInt() == 0
                && pair.masterNode.connectorStatus(CONNECTOR).get("inFlight").asInt() == 0);

        pair.gateways.failover();
        pair.awaitSoleLeader(pair.backupNode, WAIT);
        pair.gateways.backup().writeTag(SPEED, 13.0);
        pair.gateways.backup().writeTag(RUNNING, false);

        await().atMost(WAIT).untilAsserted(() -> assertThat(values(speed)).as("the same meter, the current value not sent again").containsExactly(12.5, 13.0));
        await().atMost(WAIT).untilAsserted(() -> assertThat(statuses()).as("ONLINE not posted again by the Backup's node").containsExactly("ONLINE", "OFFLINE"));
        assertThat(pair.sandbox.meters()).as("no second meter for any tag").isEqualTo(created);
        assertThat(pair.sandbox.requests()).filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/meters"))
                .as("only the Master's node created meters").allMatch(r -> r.userAgent().contains(pair.gateways.master().name()));
        assertThat(pair.backupNode.connectorStatus(CONNECTOR).get("autoMeters").get("mapped").asInt()).isEqualTo(FolderSite.SIMPLE.size());
        assertThat(pair.sandbox.readings(speed).get(1).sender()).contains(pair.gateways.backup().name());
    }

    private List<Double> values(long meter) {
        return pair.sandbox.readings(meter).stream().map(StoredReading::value).toList();
    }

    private List<String> statuses() {
        return pair.sandbox.assetStatuses(ASSET).stream().map(AssetStatusChange::status).toList();
    }
}
