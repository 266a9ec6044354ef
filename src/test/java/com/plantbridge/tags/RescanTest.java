package com.plantbridge.tags;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;

import javax.management.ObjectName;

import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.ops.BridgeMBeans;
import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.testing.FolderSite;
import com.plantbridge.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A folder is scanned again every rescan-interval and on POST /api/rescan: a tag added to it starts
 * streaming and a tag deleted from it stops, on the running subscription, without a restart of the
 * route and without sending again what MaintainX already holds.
 */
class RescanTest {

    private static final String ADDED = FolderSite.FOLDER + "/Area/Flow";
    private static final String REMOVED = FolderSite.FOLDER + "/Count";
    private static final String KEPT = FolderSite.FOLDER + "/Speed";

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
    void aTagAddedAndOneDeletedArePickedUpAtTheNextRescanWithoutRestartingTheRoute() throws Exception {
        try (LogCapture log = new LogCapture()) {
            site = FolderSite.start(workDir, FolderSite.settings("rescan-interval: 2s"));
            site.awaitSubscribed();
            await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(KEPT)).containsExactly(12.5));
            Route route = site.node.context().getRoute("readings-" + FolderSite.CONNECTOR);
            Consumer consumer = route.getConsumer();

            site.gateway.addTag(ADDED, 7.0, "Liters");
            site.gateway.removeTag(REMOVED);

            await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(ADDED)).containsExactly(7.0));
            assertThat(site.gateway.monitoredItemCount()).isEqualTo(FolderSite.SIMPLE.size());
            assertThat(site.connector().get("folders").get("tagsMonitored").asInt()).isEqualTo(FolderSite.SIMPLE.size());
            assertThat(log.lines(Level.INFO, "Connector line-2: scan of 1 folders (every 2s): found 6 tags, monitoring 6, added 1, removed 1"))
                    .hasSize(1);
            site.gateway.writeTag(KEPT, 13.5);
            site.gateway.writeTag(ADDED, 8.0);
            await().atMost(FolderSite.WAIT).untilAsserted(() -> {
                assertThat(site.values(KEPT)).as("not sent again by the rescan").containsExactly(12.5, 13.5);
                assertThat(site.values(ADDED)).containsExactly(7.0, 8.0);
            });
            assertThat(site.node.context().getRoute("readings-" + FolderSite.CONNECTOR)).isSameAs(route);
            assertThat(route.getConsumer()).as("the route was not restarted").isSameAs(consumer);
            assertThat(route.getUptimeMillis()).isGreaterThan(2_000);
        }
    }

    @Test
    void aTagAddedAndOneDeletedArePickedUpWhenTheSettingsAreSavedOnTheRunningRoute() throws Exception {
        try (LogCapture log = new LogCapture()) {
            site = FolderSite.start(workDir, FolderSite.settings("rescan-interval: 1h"));
            site.awaitSubscribed();
            await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(KEPT)).containsExactly(12.5));
            Route route = site.node.context().getRoute("readings-" + FolderSite.CONNECTOR);
            Consumer consumer = route.getConsumer();
            site.gateway.addTag(ADDED, 7.0, "Liters");
            site.gateway.removeTag(REMOVED);

            // A save that leaves this connector as it was (another connector is added, disabled), through the node's settings path.
            SettingsApplier applier = site.node.context().getRegistry().lookupByNameAndType("settingsApplier", SettingsApplier.class);
            applier.apply(new ModuleSettingsLoader().parse("maintainx.yaml", FolderSite.settings("rescan-interval: 1h")
                    + "  - name: line-9\n    enabled: false\n    token: other-token\n    tags:\n      - path: \"[default]Other\"\n        meter-id: 9\n"));

            await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(ADDED)).containsExactly(7.0));
            assertThat(log.lines(Level.INFO, "Connector line-2: scan of 1 folders (settings saved): found 6 tags, monitoring 6, added 1, removed 1"))
                    .hasSize(1);
            assertThat(site.gateway.monitoredItemCount()).as("the deleted tag's item is gone").isEqualTo(FolderSite.SIMPLE.size());
            site.gateway.writeTag(KEPT, 13.5);
            await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(KEPT)).as("not sent again by the rescan").containsExactly(12.5, 13.5));
            assertThat(route.getConsumer()).as("the route was not restarted").isSameAs(consumer);
        }
    }

    @Test
    void postApiRescanScansAtOnceAndNeedsTheAdminToken() throws Exception {
        site = FolderSite.start(workDir, FolderSite.settings("rescan-interval: 1h"));
        site.awaitSubscribed();
        site.awaitMeter(KEPT);

        site.gateway.addTag(ADDED, 7.0);
        var unauthorized = site.node.send(HttpRequest.newBuilder(URI.create(site.node.adminUrl() + "/api/rescan?connector=line-2"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(site.node.post("/api/rescan?connector=nope").statusCode()).isEqualTo(400);
        var accepted = site.node.post("/api/rescan?connector=line-2");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).contains("\"rescan\":\"started\"");
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(ADDED)).containsExactly(7.0));
        assertThat(site.values(KEPT)).containsExactly(12.5);
    }

    @Test
    void theConnectorsMBeanRescansAtOnceLikeTheAdminCall() throws Exception {
        site = FolderSite.start(workDir, FolderSite.settings("rescan-interval: 1h"));
        site.awaitSubscribed();
        site.awaitMeter(KEPT);

        site.gateway.addTag(ADDED, 7.0);
        ObjectName sender = BridgeMBeans.objectName(site.node.context(), "sender-" + FolderSite.CONNECTOR);
        assertThat(ManagementFactory.getPlatformMBeanServer().invoke(sender, "rescan", null, null)).isEqualTo(true);

        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(ADDED)).containsExactly(7.0));
        assertThat(site.values(KEPT)).containsExactly(12.5);
    }

    @Test
    void aTagDeletedAndAddedAgainIsATagWhoseCurrentValueIsComparedWithWhatMaintainxHolds() throws Exception {
        site = FolderSite.start(workDir, FolderSite.settings("rescan-interval: 1h"));
        site.awaitSubscribed();
        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(KEPT)).containsExactly(12.5));

        site.gateway.removeTag(KEPT);
        site.node.post("/api/rescan?connector=line-2");
        await().atMost(FolderSite.WAIT).until(() -> site.connector().get("folders").get("tagsMonitored").asInt() == FolderSite.SIMPLE.size() - 1);
        site.gateway.addTag(KEPT, 12.5);
        site.node.post("/api/rescan?connector=line-2");
        await().atMost(FolderSite.WAIT).until(() -> site.connector().get("folders").get("tagsMonitored").asInt() == FolderSite.SIMPLE.size());
        site.gateway.writeTag(KEPT, 14.0);

        await().atMost(FolderSite.WAIT).untilAsserted(() -> assertThat(site.values(KEPT)).containsExactly(12.5, 14.0));
    }
}
