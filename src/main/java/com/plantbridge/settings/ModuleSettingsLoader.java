package com.plantbridge.settings;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads and validates config/maintainx.yaml. Every refusal names the file and the key, because the
 * person reading it is a controls engineer with the file open in an editor, not a Java developer.
 * Measured defects it guards against: SnakeYAML stops at 3,145,728 code points by default (about
 * 26,000 tags, below the documented 20 x 6,000); a 23-digit meter id was silently wrapped into
 * another number and a 20-digit duration threw a NumberFormatException (a 500 over the API);
 * SnakeYAML's syntax errors quote the offending line, which may be a token.
 */
public final class ModuleSettingsLoader {

    /** About twice the documented maximum (20 connectors x 6,000 tags with 100-character paths is about 21 million). */
    public static final int MAX_CODE_POINTS = 40_000_000;
    /** MaintainX ids are JSON numbers: the largest a JSON reader holds exactly is 2^53 - 1. */
    public static final long MAX_ID = (1L << 53) - 1;
    /** Longest duration accepted (min-interval and the like); more is a typo, and would overflow in milliseconds. */
    public static final Duration MAX_DURATION = Duration.ofDays(30);

    private static final Set<String> TOP_KEYS = Set.of("connectors");
    private static final Set<String> CONNECTOR_KEYS = Set.of("name", "enabled", "token", "organization-id",
            "auto-create-meters", "deadband", "min-interval", "tags", "folders", "asset-id", "default-unit", "rescan-interval");
    private static final Set<String> TAG_KEYS = Set.of("path", "meter-id", "deadband", "asset-status");
    private static final Set<String> FOLDER_KEYS = Set.of("path", "asset-id", "asset-status");
    private static final Set<String> TAG_STATUS_KEYS = Set.of("asset-id", "online-when", "offline-when");
    private static final Set<String> FOLDER_STATUS_KEYS = Set.of("tag", "asset-id", "online-when", "offline-when");
    /** Folders are not browsed more often than this: a browse of 6,000 tags takes the gateway seconds. */
    public static final Duration MIN_RESCAN_INTERVAL = Duration.ofSeconds(1);
    /** MaintainX states no length for a unit; a longer one is a typo. */
    private static final int MAX_UNIT_LENGTH = 100;
    private static final Pattern ENV_REFERENCE = Pattern.compile("^\\$\\{([A-Za-z_][A-Za-z0-9_]*)}$");
    private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)?$");

    private final ObjectMapper yaml;
    private final UnaryOperator<String> environment;
    private final SettingsLimits limits;

    /** With the built-in limits (tests, tools); a node passes its configured ones. */
    public ModuleSettingsLoader() {
        this(System::getenv);
    }

    public ModuleSettingsLoader(SettingsLimits limits) {
        this(System::getenv, MAX_CODE_POINTS, limits);
    }

    public ModuleSettingsLoader(UnaryOperator<String> environment) {
        this(environment, MAX_CODE_POINTS, SettingsLimits.defaults());
    }

    ModuleSettingsLoader(UnaryOperator<String> environment, int codePointLimit) {
        this(environment, codePointLimit, SettingsLimits.defaults());
    }

    ModuleSettingsLoader(UnaryOperator<String> environment, int codePointLimit, SettingsLimits limits) {
        this.environment = environment;
        this.limits = limits;
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(codePointLimit);
        // The builder does not enable EMPTY_STRING_AS_NULL as new YAMLFactory() does: "tags:" with nothing must stay absent.
        this.yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build());
    }

    public SettingsLimits limits() {
        return limits;
    }

    public ModuleSettings load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidSettingsException(file + ": file not found (set bridge.module-config to the settings file)");
        } catch (IOException e) {
            throw new InvalidSettingsException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** False for a document with no YAML content at all (empty, blank, or only comments). */
    public boolean hasContent(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        JsonNode root = readTree("document", text);
        return root != null && !root.isMissingNode() && !root.isNull();
    }

    public ModuleSettings parse(String source, String text) {
        JsonNode root = readTree(source, text);
        Node top = new Node(source, "", root == null || root.isMissingNode() ? yaml.createObjectNode() : root);
        top.requireObject(TOP_KEYS);
        Node connectorsNode = top.child("connectors");
        List<ConnectorSettings> connectors = new ArrayList<>();
        if (!connectorsNode.isAbsent()) {
            connectorsNode.requireList();
            if (connectorsNode.json.size() > limits.maxConnectors()) {
                throw connectorsNode.invalid("at most " + limits.maxConnectors() + " connectors are supported on a node ("
                        + SettingsLimits.MAX_CONNECTORS + "), found " + connectorsNode.json.size());
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < connectorsNode.json.size(); i++) {
                ConnectorSettings connector = connector(connectorsNode.item(i));
                if (!names.add(connector.name())) {
                    throw connectorsNode.item(i).child("name").invalid("duplicate connector name '" + connector.name() + "'");
                }
                connectors.add(connector);
            }
            refuseSharedMeters(connectorsNode, connectors);
            refuseSharedAssetStatus(connectorsNode, connectors);
        }
        return new ModuleSettings(connectors);
    }

    private JsonNode readTree(String source, String text) {
        try {
            return yaml.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidSettingsException(source + ": not valid YAML" + YamlErrors.describe(e));
        } catch (RuntimeException e) {
            // SnakeYAML's own limits (e.g. the code point limit) arrive unwrapped.
            throw new InvalidSettingsException(source + ": not valid YAML" + YamlErrors.describe(e));
        }
    }

    /** One meter takes the readings of one tag: two tags on one meter id would interleave their values. */
    private static void refuseSharedMeters(Node connectorsNode, List<ConnectorSettings> connectors) {
        Map<Long, String> owners = new HashMap<>();
        for (int c = 0; c < connectors.size(); c++) {
            List<TagSettings> tags = connectors.get(c).tags();
            for (int t = 0; t < tags.size(); t++) {
                TagSettings tag = tags.get(t);
                if (!tag.hasMeterId()) {
                    continue;   // its meter is found or created by name, one per tag
                }
                String here = "tag '" + tag.path() + "' of connector " + connectors.get(c).name();
                String earlier = owners.putIfAbsent(tag.meterId(), here);
                if (earlier != null) {
                    throw connectorsNode.item(c).child("tags").item(t).child("meter-id").invalid("meter " + tag.meterId()
                            + " is already used by " + earlier + "; " + here + " needs a meter of its own");
                }
            }
        }
    }

    /** One asset's status driven by two tags would flip with whichever changed last. */
    private static void refuseSharedAssetStatus(Node connectorsNode, List<ConnectorSettings> connectors) {
        Map<Long, String> owners = new HashMap<>();
        for (int c = 0; c < connectors.size(); c++) {
            ConnectorSettings connector = connectors.get(c);
            for (int t = 0; t < connector.tags().size(); t++) {
                TagSettings tag = connector.tags().get(t);
                if (tag.assetStatus() != null) {
                    claimAsset(owners, tag.assetStatus().assetId(), "tag '" + tag.path() + "' of connector " + connector.name(),
                            connectorsNode.item(c).child("tags").item(t).child("asset-status").child("asset-id"));
                }
            }
            for (int f = 0; f < connector.folders().size(); f++) {
                FolderSettings folder = connector.folders().get(f);
                if (folder.assetStatus() != null) {
                    claimAsset(owners, folder.assetStatus().assetId(), "tag '" + folder.statusTagPath() + "' of connector " + connector.name(),
                            connectorsNode.item(c).child("folders").item(f).child("asset-status").child("asset-id"));
                }
            }
        }
    }

    private static void claimAsset(Map<Long, String> owners, long assetId, String here, Node key) {
        String earlier = owners.putIfAbsent(assetId, here);
        if (earlier != null) {
            throw key.invalid("the status of asset " + assetId + " is already driven by " + earlier + "; one tag per asset");
        }
    }

    private ConnectorSettings connector(Node node) {
        node.requireObject(CONNECTOR_KEYS);
        String name = node.child("name").requiredText();
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw node.child("name").invalid("must use only letters, digits, '-', '_' and '.' (it names a route and a URI), got '" + name + "'");
        }
        boolean enabled = node.child("enabled").bool(true);
        Secret token = token(node.child("token"), enabled);
        Long organizationId = node.child("organization-id").optionalPositiveLong();
        boolean autoCreate = node.child("auto-create-meters").bool(false);
        double deadband = node.child("deadband").nonNegativeNumber(0.0);
        Duration minInterval = node.child("min-interval").duration(Duration.ZERO);
        Long assetId = node.child("asset-id").optionalPositiveLong();
        String defaultUnit = node.child("default-unit").isAbsent() ? ConnectorSettings.DEFAULT_UNIT : node.child("default-unit").requiredText();
        if (defaultUnit.length() > MAX_UNIT_LENGTH) {
            throw node.child("default-unit").invalid("must be at most " + MAX_UNIT_LENGTH + " characters, got " + defaultUnit.length());
        }
        Duration rescanInterval = node.child("rescan-interval").duration(ConnectorSettings.DEFAULT_RESCAN_INTERVAL);
        if (rescanInterval.compareTo(MIN_RESCAN_INTERVAL) < 0) {
            throw node.child("rescan-interval").invalid("must be at least " + MIN_RESCAN_INTERVAL.toSeconds() + "s, got " + rescanInterval.toMillis() + "ms");
        }

        List<TagSettings> tags = new ArrayList<>();
        Node tagsNode = node.child("tags");
        if (!tagsNode.isAbsent()) {
            tagsNode.requireList();
            if (tagsNode.json.size() > limits.maxTagsPerConnector()) {
                throw tagsNode.invalid("at most " + limits.maxTagsPerConnector() + " tags per connector are supported ("
                        + SettingsLimits.MAX_TAGS_PER_CONNECTOR + "), found " + tagsNode.json.size());
            }
            Set<String> paths = new HashSet<>();
            for (int i = 0; i < tagsNode.json.size(); i++) {
                Node tagNode = tagsNode.item(i);
                tagNode.requireObject(TAG_KEYS);
                String path = tagNode.child("path").requiredText();
                if (!paths.add(path)) {
                    throw tagNode.child("path").invalid("tag '" + path + "' is listed twice in this connector");
                }
                AssetStatusSettings status = assetStatus(tagNode.child("asset-status"), TAG_STATUS_KEYS, null);
                Long meterId = tagNode.child("meter-id").optionalPositiveLong();
                if (meterId == null && !autoCreate && status == null) {
                    throw tagNode.child("meter-id").invalid("is required (or set auto-create-meters: true on the connector and the node finds or creates a meter for the tag)");
                }
                Double tagDeadband = tagNode.child("deadband").isAbsent() ? null : tagNode.child("deadband").nonNegativeNumber(0.0);
                tags.add(new TagSettings(path, meterId, tagDeadband, status));
            }
        }
        List<FolderSettings> folders = new ArrayList<>();
        Node foldersNode = node.child("folders");
        if (!foldersNode.isAbsent()) {
            foldersNode.requireList();
            if (!foldersNode.json.isEmpty() && !autoCreate) {
                throw foldersNode.invalid("a folder's tags have no meter-id: set auto-create-meters: true on the connector (the node finds or"
                        + " creates a meter per tag), or list the tags under tags: with their meter-id");
            }
            Set<String> paths = new HashSet<>();
            for (int i = 0; i < foldersNode.json.size(); i++) {
                Node folder = foldersNode.item(i);
                folder.requireObject(FOLDER_KEYS);
                String path = folder.child("path").requiredText();
                if (!paths.add(path)) {
                    throw folder.child("path").invalid("folder '" + path + "' is listed twice in this connector");
                }
                Long folderAsset = folder.child("asset-id").optionalPositiveLong();
                Long statusDefault = folderAsset != null ? folderAsset : assetId;
                folders.add(new FolderSettings(path, folderAsset, assetStatus(folder.child("asset-status"), FOLDER_STATUS_KEYS, statusDefault)));
            }
        }
        return new ConnectorSettings(name, enabled, token, organizationId, autoCreate, deadband, minInterval, tags, folders,
                assetId, defaultUnit, rescanInterval);
    }

    /**
     * {@code asset-status: {asset-id: 7, online-when: [1, true], offline-when: [0]}}; in a folder entry
     * also {@code tag:} (relative to the folder), and {@code asset-id} defaults to the folder's, then the connector's.
     */
    private static AssetStatusSettings assetStatus(Node node, Set<String> keys, Long defaultAsset) {
        if (node.isAbsent()) {
            return null;
        }
        node.requireObject(keys);
        String tag = null;
        if (keys.contains("tag")) {
            tag = node.child("tag").requiredText();
            if (tag.startsWith("/") || tag.startsWith("[")) {
                throw node.child("tag").invalid("must be a path relative to the folder (e.g. Motor/Running), got '" + tag + "'");
            }
        }
        Long assetId = node.child("asset-id").optionalPositiveLong();
        if (assetId == null) {
            assetId = defaultAsset;
        }
        if (assetId == null) {
            throw node.child("asset-id").invalid(keys.contains("tag") ? "is required (or set asset-id on the folder or the connector)" : "is required");
        }
        List<Double> online = statusValues(node.child("online-when"), true);
        List<Double> offline = statusValues(node.child("offline-when"), false);
        if (offline != null) {
            for (double value : online) {
                if (offline.contains(value)) {
                    throw node.child("offline-when").invalid("value " + describeValue(value) + " is also in online-when");
                }
            }
        }
        return new AssetStatusSettings(assetId, tag, online, offline);
    }

    /** A list of numbers and booleans (true is 1, false is 0), compared with the tag's value. */
    private static List<Double> statusValues(Node node, boolean required) {
        if (node.isAbsent()) {
            if (required) {
                throw node.invalid("is required: the values that mean ONLINE, e.g. [1, true]");
            }
            return null;
        }
        node.requireList();
        if (node.json.isEmpty()) {
            throw node.invalid("must list at least one value (numbers or true/false)");
        }
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < node.json.size(); i++) {
            JsonNode value = node.json.get(i);
            if (value.isBoolean()) {
                values.add(value.booleanValue() ? 1.0 : 0.0);
            } else if (value.isNumber() && Double.isFinite(value.asDouble())) {
                values.add(value.asDouble());
            } else {
                throw node.item(i).invalid("must be a number or true/false (an integer or boolean tag's value), got "
                        + (value.isContainerNode() ? "a list or mapping" : "'" + abbreviate(value.asText()) + "'"));
            }
        }
        return values;
    }

    private static String describeValue(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private Secret token(Node node, boolean required) {
        if (node.isAbsent() && !required) {
            return Secret.of("");
        }
        // Never echo a token's value in an error: the message goes to logs.
        if (node.isAbsent() || !node.json.isTextual() || node.json.asText().isBlank()) {
            throw node.invalid("is required and must be text (a literal token or ${ENV_NAME})");
        }
        String raw = node.json.asText().trim();
        Matcher env = ENV_REFERENCE.matcher(raw);
        if (!env.matches()) {
            return Secret.of(raw);
        }
        String value = environment.apply(env.group(1));
        if (value == null || value.isBlank()) {
            throw node.invalid("environment variable " + env.group(1) + " is not set");
        }
        return Secret.of(value.trim());
    }

    /** A position in the YAML tree that knows its own key path for error messages. */
    private static final class Node {
        final String source;
        final String path;
        final JsonNode json;

        Node(String source, String path, JsonNode json) {
            this.source = source;
            this.path = path;
            this.json = json;
        }

        Node child(String key) {
            JsonNode value = json.get(key);
            return new Node(source, path.isEmpty() ? key : path + "." + key, value == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : value);
        }

        Node item(int index) {
            return new Node(source, path + "[" + index + "]", json.get(index));
        }

        boolean isAbsent() {
            return json.isMissingNode() || json.isNull();
        }

        InvalidSettingsException invalid(String problem) {
            return new InvalidSettingsException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        }

        void requireObject(Set<String> allowedKeys) {
            if (!json.isObject()) {
                throw invalid("must be a mapping of keys, got " + describe());
            }
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowedKeys.contains(key)) {
                    throw child(key).invalid("unknown key (allowed here: " + String.join(", ", allowedKeys.stream().sorted().toList()) + ")");
                }
            }
        }

        void requireList() {
            if (!json.isArray()) {
                throw invalid("must be a list, got " + describe());
            }
        }

        String requiredText() {
            if (isAbsent()) {
                throw invalid("is required");
            }
            if (!json.isTextual() && !json.isNumber()) {
                throw invalid("must be text, got " + describe());
            }
            String text = json.asText().trim();
            if (text.isEmpty()) {
                throw invalid("must not be empty");
            }
            return text;
        }

        boolean bool(boolean defaultValue) {
            if (isAbsent()) {
                return defaultValue;
            }
            if (!json.isBoolean()) {
                throw invalid("must be true or false, got " + describe());
            }
            return json.booleanValue();
        }

        /** A MaintainX id: a whole number from 1 to 2^53 - 1, checked before any conversion can wrap it. */
        Long optionalPositiveLong() {
            if (isAbsent()) {
                return null;
            }
            if (!json.isNumber() || !json.canConvertToExactIntegral()) {
                throw invalid("must be a positive whole number, got " + describe());
            }
            BigInteger value = json.isIntegralNumber() ? json.bigIntegerValue() : json.decimalValue().toBigIntegerExact();
            if (value.signum() <= 0) {
                throw invalid("must be a positive whole number, got " + describe());
            }
            if (value.compareTo(BigInteger.valueOf(MAX_ID)) > 0) {
                throw invalid("must be a whole number from 1 to " + MAX_ID + " (the largest id MaintainX can send as a JSON number), got "
                        + (value.toString().length() > 30 ? "a " + value.toString().length() + "-digit number" : value.toString()));
            }
            return value.longValueExact();
        }

        double nonNegativeNumber(double defaultValue) {
            if (isAbsent()) {
                return defaultValue;
            }
            if (!json.isNumber() || !Double.isFinite(json.asDouble()) || json.asDouble() < 0) {
                throw invalid("must be a number >= 0, got " + describe());
            }
            return json.asDouble();
        }

        Duration duration(Duration defaultValue) {
            if (isAbsent()) {
                return defaultValue;
            }
            Matcher m = DURATION.matcher(json.asText().trim());
            if (!(json.isTextual() || json.isIntegralNumber()) || !m.matches()) {
                throw invalid("must be a duration such as 500ms, 10s, 5m or 1h, got " + describe());
            }
            String unit = m.group(2) == null ? "s" : m.group(2);
            BigDecimal unitMillis = BigDecimal.valueOf(switch (unit) {
                case "ms" -> 1L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 1_000L;
            });
            BigDecimal millis = new BigDecimal(m.group(1)).multiply(unitMillis);
            if (millis.compareTo(BigDecimal.valueOf(MAX_DURATION.toMillis())) > 0) {
                throw invalid("must be at most " + MAX_DURATION.toDays() + " days (" + MAX_DURATION.toHours() + "h), got "
                        + (m.group(1).length() > 30 ? "a " + m.group(1).length() + "-digit number" : m.group(1)) + unit);
            }
            return Duration.ofMillis(millis.longValueExact());
        }

        private String describe() {
            if (isAbsent()) {
                return "nothing";
            }
            if (json.isContainerNode()) {
                return json.isArray() ? "a list" : "a mapping";
            }
            String text = json.asText();
            return text.length() > 40 ? "a " + text.length() + "-character value" : "'" + text + "'";
        }
    }
}
