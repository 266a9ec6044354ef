package com.plantbridge.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's image has three definitions that no engine here can build side by side: docker/Dockerfile's runtime
 * stage, the daemonless one (pom.xml profile {@code image} on the base from docker/base-image.sh) and what
 * docker/compose.yaml expects of either. They must agree on user, home, environment, volumes, ports, entry point and
 * health check; and every token variable of the shipped settings must be in the compose file's environment example
 * (measured before this test: the example named LINE1_TOKEN, the settings ${LINE1_MAINTAINX_TOKEN}, so a pair set up
 * by the compose steps stopped at start).
 */
class ContainerImageDefinitionsTest {

    private static final Path DOCKER = Path.of("docker");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dockerfile dockerfile = Dockerfile.runtimeStage(read(DOCKER.resolve("Dockerfile")));
    private final Node jib = jibConfiguration();

    @Test
    void theDaemonlessImageRunsAsTheDockerfilesRuntimeStage() throws Exception {
        String uid = dockerfile.match("useradd [^\\n]*--uid (\\d+)");
        assertThat(dockerfile.match("groupadd [^\\n]*--gid (\\d+)")).isEqualTo(uid);
        assertThat(text(jib, "container/user")).isEqualTo(uid + ":" + uid);
        assertThat(read(DOCKER.resolve("base-image.sh"))).contains("\nuid=" + uid + "\n");
        assertThat(read(DOCKER.resolve("compose.yaml"))).contains("chown -R " + uid + ":" + uid);

        assertThat(text(jib, "container/workingDirectory")).isEqualTo(dockerfile.instruction("WORKDIR"));
        Map<String, String> environment = new LinkedHashMap<>();
        NodeList variables = (NodeList) xpath().evaluate("container/environment/*", jib, XPathConstants.NODESET);
        for (int i = 0; i < variables.getLength(); i++) {
            environment.put(variables.item(i).getNodeName(), variables.item(i).getTextContent().trim());
        }
        assertThat(environment).isEqualTo(dockerfile.environment());
        assertThat(texts(jib, "container/volumes/volume")).isEqualTo(dockerfile.jsonArray("VOLUME"));
        assertThat(texts(jib, "container/ports/port")).isEqualTo(List.of(dockerfile.instruction("EXPOSE").split("\\s+")));
        assertThat(List.of(text(jib, "container/entrypoint").split(","))).isEqualTo(dockerfile.jsonArray("ENTRYPOINT"));
    }

    @Test
    void theBaseImageAndComposeCarryTheDockerfilesHealthCheck() throws Exception {
        HealthCheck expected = dockerfile.healthCheck();

        Matcher base = Pattern.compile("\"Healthcheck\": (\\{.*?\\n    })", Pattern.DOTALL).matcher(read(DOCKER.resolve("base-image.sh")));
        assertThat(base.find()).as("Healthcheck in docker/base-image.sh").isTrue();
        JsonNode json = JSON.readTree(base.group(1).replace("\\$", "$"));
        assertThat(new HealthCheck(json.path("Test").get(1).asText(), Duration.ofNanos(json.path("Interval").asLong()),
                Duration.ofNanos(json.path("Timeout").asLong()), Duration.ofNanos(json.path("StartPeriod").asLong()),
                json.path("Retries").asInt())).isEqualTo(expected);

        Map<String, Object> node = map(compose().get("x-node"));
        Map<String, Object> check = map(node.get("healthcheck"));
        List<?> test = (List<?>) check.get("test");
        assertThat(test.get(0)).isEqualTo("CMD-SHELL");
        assertThat(new HealthCheck(((String) test.get(1)).replace("$$", "$"), duration(check.get("interval")),
                duration(check.get("timeout")), duration(check.get("start_period")), (Integer) check.get("retries")))
                .isEqualTo(expected);
    }

    @Test
    void composeMountsTheImagesVolumesAndHomeFoldersAndPublishesOnlyItsPorts() throws Exception {
        String home = dockerfile.instruction("WORKDIR");
        Set<String> images = new TreeSet<>(dockerfile.jsonArray("VOLUME"));
        images.add(home + "/config");
        images.add(home + "/routes");
        List<String> exposed = List.of(dockerfile.instruction("EXPOSE").split("\\s+"));
        for (Map.Entry<String, Object> service : map(compose().get("services")).entrySet()) {
            Map<String, Object> definition = map(service.getValue());
            Set<String> targets = new TreeSet<>();
            for (Object volume : (List<?>) definition.get("volumes")) {
                targets.add(volume.toString().split(":")[1]);
            }
            assertThat(targets).as(service.getKey() + " volumes").isEqualTo(images);
            for (Object port : (List<?>) definition.get("ports")) {
                String[] parts = port.toString().split(":");
                assertThat(exposed).as(service.getKey() + " port " + port).contains(parts[parts.length - 1]);
            }
        }
    }

    @Test
    void everyTokenVariableOfTheShippedSettingsIsInTheComposeEnvironmentExample() {
        Set<String> example = new TreeSet<>();
        for (String line : read(DOCKER.resolve("bridge.env.example")).split("\n")) {
            if (line.matches("[A-Z0-9_]+=.*")) {
                example.add(line.substring(0, line.indexOf('=')));
            }
        }
        List<String> used = new ArrayList<>();
        for (String line : read(Path.of("config/maintainx.yaml")).split("\n")) {
            Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(line.replaceFirst("^\\s*#.*", ""));
            while (variable.find()) {
                used.add(variable.group(1));
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(example).containsAll(used);
    }

    /** The Docker HEALTHCHECK's command (whitespace folded) and options. */
    record HealthCheck(String command, Duration interval, Duration timeout, Duration startPeriod, int retries) {
        HealthCheck {
            command = command.trim().replaceAll("\\s+", " ");
        }
    }

    /** The instructions of the Dockerfile's runtime stage, continuation lines joined. */
    record Dockerfile(String stage) {

        static Dockerfile runtimeStage(String text) {
            int from = text.indexOf("AS runtime");
            assertThat(from).as("docker/Dockerfile has a runtime stage").isPositive();
            return new Dockerfile(text.substring(from).replaceAll("\\\\\\n\\s*", " "));
        }

        String match(String regex) {
            Matcher m = Pattern.compile(regex).matcher(stage);
            assertThat(m.find()).as("docker/Dockerfile: " + regex).isTrue();
            return m.group(1);
        }

        String instruction(String name) {
            return match("(?m)^" + name + " (.+)$").trim();
        }

        List<String> jsonArray(String name) {
            try {
                List<String> values = new ArrayList<>();
                JSON.readTree(instruction(name)).forEach(v -> values.add(v.asText()));
                return values;
            } catch (IOException e) {
                throw new IllegalStateException("docker/Dockerfile " + name + " is not a JSON array", e);
            }
        }

        Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            for (String pair : instruction("ENV").split("\\s+")) {
                environment.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            return environment;
        }

        HealthCheck healthCheck() {
            String line = instruction("HEALTHCHECK");
            Map<String, String> options = new LinkedHashMap<>();
            Matcher option = Pattern.compile("--([a-z-]+)=(\\S+)").matcher(line.substring(0, line.indexOf(" CMD ")));
            while (option.find()) {
                options.put(option.group(1), option.group(2));
            }
            return new HealthCheck(line.substring(line.indexOf(" CMD ") + 5), duration(options.get("interval")),
                    duration(options.get("timeout")), duration(options.get("start-period")), Integer.parseInt(options.get("retries")));
        }
    }

    private static Duration duration(Object value) {
        Matcher m = Pattern.compile("(\\d+)([smh])").matcher(value.toString());
        assertThat(m.matches()).as("a duration like 30s: " + value).isTrue();
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static Map<String, Object> compose() {
        return new Yaml().load(read(DOCKER.resolve("compose.yaml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Node jibConfiguration() {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
            Node configuration = (Node) xpath().evaluate(
                    "/project/profiles/profile[id='image']/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration",
                    pom, XPathConstants.NODE);
            assertThat(configuration).as("pom.xml: profile image with jib-maven-plugin").isNotNull();
            return configuration;
        } catch (Exception e) {
            throw new IllegalStateException("pom.xml", e);
        }
    }

    private static String text(Node node, String path) throws Exception {
        return ((String) xpath().evaluate(path, node, XPathConstants.STRING)).trim();
    }

    private static List<String> texts(Node node, String path) throws Exception {
        NodeList nodes = (NodeList) xpath().evaluate(path, node, XPathConstants.NODESET);
        String[] values = new String[nodes.getLength()];
        for (int i = 0; i < values.length; i++) {
            values[i] = nodes.item(i).getTextContent().trim();
        }
        return Arrays.asList(values);
    }

    private static XPath xpath() {
        return XPathFactory.newInstance().newXPath();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(file + " unreadable", e);
        }
    }
}
