package com.plantbridge.ops;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.plantbridge.settings.ModuleSettingsLoader;
import com.plantbridge.tags.SettingsApplier;
import com.plantbridge.testing.GatewayNodeFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application's MBeans under the Camel context, read and invoked over JMX (the platform
 * MBeanServer, as JConsole or Hawtio's Jolokia agent see it): redundancy with enable/disable, one
 * sender per connector with replay, the mirror; and the connector route shows Stopped on standby.
 */
class BridgeMBeansTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path workDir;

    @Test
    void redundancySenderAndMirrorAreMBeansBesideTheRoutesAndAStandbyRouteShowsStopped() throws Exception {
        try (GatewayNodeFixture fixture = GatewayNodeFixture.builder(workDir).start()) {
            fixture.awaitSubscribed();
            var context = fixture.node.context();
            ObjectName redundancy = BridgeMBeans.objectName(context, "redundancy");
            ObjectName sender = BridgeMBeans.objectName(context, "sender-line-1");
            ObjectName mirror = BridgeMBeans.objectName(context, "mirror");
            ObjectName route = new ObjectName("org.apache.camel:context=" + context.getManagementName() + ",type=routes,name=\"readings-line-1\"");
            assertThat(redundancy.getKeyProperty("context")).isEqualTo(route.getKeyProperty("context"));

            assertThat(JMX.getAttribute(redundancy, "Role")).isEqualTo("Independent");
            assertThat(JMX.getAttribute(redundancy, "ActivityLevel")).isEqualTo("Active");
            assertThat(JMX.getAttribute(redundancy, "Leader")).isEqualTo(true);
            assertThat((String) JMX.getAttribute(redundancy, "Reason")).contains("Active");
            assertThat((String) JMX.getAttribute(redundancy, "Since")).isNotEmpty();
            assertThat(JMX.getAttribute(redundancy, "PeerState")).isEqualTo("");
            assertThat(JMX.getAttribute(route, "State")).isEqualTo("Started");

            fixture.gateway.writeTag(fixture.tagPaths.get(0), 4.0);
            fixture.awaitValues(0, 4.0);
            await().atMost(GatewayNodeFixture.WAIT).until(() -> (Long) JMX.getAttribute(sender, "Delivered") == 1L);
            assertThat(JMX.getAttribute(sender, "State")).isEqualTo("OK");
            assertThat(JMX.getAttribute(sender, "Pending")).isEqualTo(0L);
            assertThat(JMX.getAttribute(sender, "InFlight")).isEqualTo(0L);
            assertThat(JMX.getAttribute(sender, "Quarantined")).isEqualTo(0L);
            assertThat(JMX.getAttribute(sender, "LastError")).isEqualTo("");
            assertThat(JMX.getAttribute(sender, "OldestPendingAgeSeconds")).isEqualTo(0L);
            assertThat(JMX.invoke(sender, "replayQuarantine", null, null)).isEqualTo(0);

            assertThat(JMX.getAttribute(mirror, "Version")).isEqualTo(0L);
            assertThat(JMX.getAttribute(mirror, "MastersNode")).isEqualTo(true);
            assertThat((String) JMX.getAttribute(mirror, "LastApplied")).isNotEmpty();
            assertThat(JMX.getAttribute(mirror, "Error")).isEqualTo("");

            JMX.invoke(redundancy, "disable", null, null);
            await().atMost(GatewayNodeFixture.WAIT).until(() -> "Stopped".equals(JMX.getAttribute(route, "State")));
            assertThat(JMX.getAttribute(redundancy, "Leader")).isEqualTo(false);
            assertThat(JMX.getAttribute(redundancy, "Enabled")).isEqualTo(false);
            assertThat((String) JMX.getAttribute(redundancy, "Reason")).contains("disabled");
            JMX.invoke(redundancy, "enable", null, null);
            await().atMost(GatewayNodeFixture.WAIT).until(() -> "Started".equals(JMX.getAttribute(route, "State")));

            String settings = Files.readString(fixture.node.workDir().resolve("config/maintainx.yaml"));
            String twoConnectors = settings + "  - name: line-2\n    enabled: false\n    token: other\n    tags:\n"
                    + "      - path: \"[default]Other/Tag\"\n        meter-id: 9\n";
            // A single node has no settings API (that is the mirror's): the applier puts the change in force as a mirrored one would.
            SettingsApplier applier = context.getRegistry().findSingleByType(SettingsApplier.class);
            applier.apply(new ModuleSettingsLoader().parse("test", twoConnectors));
            ObjectName second = BridgeMBeans.objectName(context, "sender-line-2");
            await().atMost(GatewayNodeFixture.WAIT).until(() -> JMX.isRegistered(second));
            assertThat(JMX.getAttribute(second, "State")).as("a disabled connector has no sender").isEqualTo("NONE");
            applier.apply(new ModuleSettingsLoader().parse("test", settings));
            await().atMost(GatewayNodeFixture.WAIT).until(() -> !JMX.isRegistered(second));
            assertThat(JMX.isRegistered(sender)).isTrue();
        }
    }
}
