package com.plantbridge.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

import com.plantbridge.maintainx.MeterNames;
import com.plantbridge.sim.gateway.SimulatedGateway;
import com.plantbridge.sim.maintainx.MaintainxSandbox;
import com.plantbridge.sim.maintainx.StoredReading;

import static org.awaitility.Awaitility.await;

/**
 * One node beside one simulated gateway whose tag provider holds a folder as Ignition lays one out
 * ({@value #FOLDER}): simple tags of several types with and without engineering units, String,
 * DateTime and array tags, nested folders and a UDT instance with simple and other members. The
 * node's connector ({@value #CONNECTOR}) monitors the folder with meters created by name.
 */
public final class FolderSite implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);
    public static final String CONNECTOR = "line-2";
    public static final String TOKEN = "folder-token";
    public static final String FOLDER = "[default]Line2";
    /** The simple tags of the folder (numeric and boolean), each with its initial value and unit (null for none). */
    public static final Map<String, Object[]> SIMPLE = simple();
    /** The tags of the folder that cannot be readings, by the reason the node gives. */
    public static final Map<String, String> OTHERS = Map.of(
            FOLDER + "/Recipe", "String",
            FOLDER + "/BatchStart", "DateTime",
            FOLDER + "/Profile", "array",
            FOLDER + "/Motor/Name", "String",
            FOLDER + "/Motor/Torques", "array");

    public final SimulatedGateway gateway;
    public final MaintainxSandbox sandbox;
    public TestNode node;
    private final Path workDir;
    private final Map<String, Object> properties;

    private FolderSite(Path workDir, Map<String, Object> properties) {
        this.workDir = workDir;
        this.properties = properties;
        gateway = SimulatedGateway.builder().name("folders").start();
        sandbox = MaintainxSandbox.start(0).token(TOKEN);
        addFolder(gateway);
    }

    private static Map<String, Object[]> simple() {
        Map<String, Object[]> tags = new LinkedHashMap<>();
        tags.put(FOLDER + "/Speed", new Object[] {12.5, "MetersPerSecond"});
        tags.put(FOLDER + "/Count", new Object[] {5, null});
        tags.put(FOLDER + "/Running", new Object[] {true, null});
        tags.put(FOLDER + "/Area/Temp", new Object[] {20.5f, "Celsius"});
        tags.put(FOLDER + "/Area/Deep/Level", new Object[] {(short) 3, null});
        tags.put(FOLDER + "/Motor/Rpm", new Object[] {1500.0, "RPM"});
        return tags;
    }

    /** The folder as it is on a running site: every value a minute old. */
    public static void addFolder(SimulatedGateway gateway) {
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        gateway.addUdtInstance(FOLDER + "/Motor");
        SIMPLE.forEach((path, valueAndUnit) -> {
            gateway.addTag(path, valueAndUnit[0], (String) valueAndUnit[1]);
            gateway.writeTag(path, valueAndUnit[0], StatusCodes.Good, past);
        });
        gateway.addTag(FOLDER + "/Recipe", "recipe-a");
        gateway.addTag(FOLDER + "/BatchStart", Instant.parse("2026-01-01T00:00:00Z"));
        gateway.addTag(FOLDER + "/Profile", new double[] {1, 2, 3});
        gateway.addTag(FOLDER + "/Motor/Name", "M-1");
        gateway.addTag(FOLDER + "/Motor/Torques", new int[] {1, 2});
    }

    /** A site whose node is started with these settings; {@code properties} are node settings. */
    public static FolderSite start(Path workDir, String settingsYaml, Object... properties) throws Exception {
        FolderSite site = create(workDir, properties);
        site.startNode(settingsYaml);
        return site;
    }

    /** The gateway and MaintainX, the node not started yet ({@link #startNode}). */
    public static FolderSite create(Path workDir, Object... properties) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < properties.length; i += 2) {
            map.put((String) properties[i], properties[i + 1]);
        }
        return new FolderSite(workDir, map);
    }

    public void startNode(String settingsYaml) throws Exception {
        TestNode.Builder builder = TestNode.builder(workDir)
                .settings(settingsYaml)
                .property("ignition.opcua.endpoint", gateway.opcUaEndpoint())
                .property("ignition.gateway.url", gateway.gatewayUrl())
                .property("maintainx.base-url", sandbox.baseUrl())
                .property("maintainx.batch-delay", 100);
        properties.forEach(builder::property);
        node = builder.start();
    }

    /** The connector of the folder, with meters created by name; {@code extra} lines go into the connector entry. */
    public static String settings(String... extra) {
        StringBuilder yaml = new StringBuilder("connectors:\n  - name: " + CONNECTOR + "\n    token: " + TOKEN
                + "\n    auto-create-meters: true\n");
        for (String line : extra) {
            yaml.append("    ").append(line).append('\n');
        }
        if (List.of(extra).stream().noneMatch(l -> l.startsWith("folders:"))) {
            yaml.append("    folders:\n      - path: \"").append(FOLDER).append("\"\n");
        }
        return yaml.toString();
    }

    public JsonNode connector() {
        return node.connectorStatus(CONNECTOR);
    }

    /**
     * The first folder scan has put its tags in the subscription (the connector reports subscribed
     * with 0 tags before its first scan, so a scan result is waited for too).
     */
    public void awaitSubscribed() {
        await().atMost(WAIT).until(() -> {
            JsonNode connector = connector();
            JsonNode folders = connector.get("folders");
            return connector.get("subscribed").asBoolean() && folders != null && !folders.isNull()
                    && connector.get("tagsSubscribed").asInt() == folders.get("tagsMonitored").asInt();
        });
    }

    /** The meter the node found or created for a tag (its name is the connector and the tag path), once there is one. */
    public long awaitMeter(String tag) {
        String name = MeterNames.of(CONNECTOR, tag);
        await().atMost(WAIT).until(() -> !sandbox.metersNamed(name).isEmpty());
        return sandbox.metersNamed(name).get(0).id();
    }

    public List<Double> values(String tag) {
        List<MaintainxSandbox.MeterInfo> meters = sandbox.metersNamed(MeterNames.of(CONNECTOR, tag));
        return meters.isEmpty() ? List.of() : sandbox.readings(meters.get(0).id()).stream().map(StoredReading::value).toList();
    }

    @Override
    public void close() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            gateway.close();
            sandbox.close();
        }
    }
}
