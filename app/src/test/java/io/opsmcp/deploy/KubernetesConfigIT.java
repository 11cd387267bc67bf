package io.opsmcp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.e2e.ServerProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rendered Kubernetes configuration runs: {@code ops-mcp serve} (the fat jar) with the ConfigMap's
 * {@code ops-mcp.yaml} and the container's environment (secret references as placeholders) starts — every toolset
 * section (hosts, aws, gitlab) is read and checked by the toolsets themselves and the PostgreSQL store is migrated —
 * answers {@code /healthz}, and lists the toolsets' tools to a client with the example API key. Only what cannot
 * exist outside a cluster is changed: the mounted directories live in a temporary directory, the database is an
 * embedded PostgreSQL, and the server binds loopback.
 */
class KubernetesConfigIT {

    /** The key whose SHA-256 the example configuration lists for principal ci-agent. */
    private static final String EXAMPLE_KEY = "example-ci-agent-key-replace-me";

    private static EmbeddedPostgres postgres;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE opsmcp LOGIN");
            s.execute("CREATE DATABASE opsmcp OWNER opsmcp");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/prod"})
    void theRenderedConfigurationStartsTheServer(String dir) throws Exception {
        List<ObjectNode> rendered = Kustomization.build(KubernetesManifestsTest.ROOT.resolve(dir));
        JsonNode pod = rendered.stream()
                .filter(o -> o.path("kind").asString().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .path("spec")
                .path("template")
                .path("spec");
        JsonNode container = pod.path("containers").get(0);
        Map<String, String> env = ManifestRules.environment(container);
        Path root = tmp.resolve("root");

        // The container's mounts, as directories under root: ConfigMap files as rendered, a placeholder per file
        // the configuration names on a Secret volume, empty directories for emptyDir.
        List<String> mountPaths = new ArrayList<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            String path = mount.path("mountPath").asString();
            mountPaths.add(path);
            Path local = root.resolve(path.substring(1));
            Files.createDirectories(local);
            JsonNode volume = volume(pod, mount.path("name").asString());
            if (volume.has("configMap")) {
                String name = volume.path("configMap").path("name").asString();
                JsonNode data = Kustomization.find(rendered, "ConfigMap", name)
                        .orElseThrow()
                        .path("data");
                for (var e : data.properties()) {
                    Files.writeString(local.resolve(e.getKey()), e.getValue().asString());
                }
            }
        }
        String configPath = env.get("OPS_MCP_CONFIG");
        String text = Files.readString(root.resolve(configPath.substring(1)));
        Matcher keyFile = Pattern.compile("key_file: (/[^}\\s,]+)").matcher(text);
        while (keyFile.find()) {
            Files.writeString(root.resolve(keyFile.group(1).substring(1)), "placeholder: not read at start\n");
        }
        mountPaths.sort(Comparator.comparingInt(String::length).reversed());
        // one pass, so a path already moved under root (e.g. below /tmp) is not moved again
        Matcher mounted = Pattern.compile("(?<![\\w./-])("
                        + String.join(
                                "|", mountPaths.stream().map(Pattern::quote).toList()) + ")(?=/)")
                .matcher(text);
        StringBuilder moved = new StringBuilder();
        while (mounted.find()) {
            mounted.appendReplacement(
                    moved,
                    Matcher.quoteReplacement(
                            root.resolve(mounted.group(1).substring(1)).toString()));
        }
        text = mounted.appendTail(moved).toString();
        assertThat(text).doesNotContainPattern("(?<![\\w./-])/etc/ops-mcp/");
        text = text.replaceFirst(
                "url: jdbc:postgresql://\\S+", "url: jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/opsmcp");
        Path config = tmp.resolve("ops-mcp.yaml");
        Files.writeString(config, text);

        List<String> command = new ArrayList<>(List.of("env"));
        // paths in the environment (OPS_MCP_DATA_DIR) move with the mounts; OPS_MCP_CONFIG names the edited copy
        env.forEach((k, v) -> {
            String value = v;
            for (String path : mountPaths) {
                if (value.equals(path) || value.startsWith(path + "/")) {
                    value = root.resolve(path.substring(1)) + value.substring(path.length());
                    break;
                }
            }
            command.add(k + "=" + (k.equals("OPS_MCP_CONFIG") ? config.toString() : value));
        });
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of(System.getProperty("ops-mcp.jar", "target/ops-mcp.jar"))
                        .toAbsolutePath()
                        .toString(),
                "serve",
                "--bind",
                "127.0.0.1",
                "--port",
                "0"));
        try (ServerProcess server = ServerProcess.start(command, Duration.ofSeconds(180))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            // data_dir as the pod has it: made by ops-mcp below the emptyDir mount
            Path dataDir = root.resolve(env.get("OPS_MCP_DATA_DIR").substring(1));
            assertThat(dataDir).isDirectory();
            assertThat(java.nio.file.Files.getPosixFilePermissions(dataDir))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

            HttpResponse<String> list = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + EXAMPLE_KEY)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(list.body())
                    .contains("\"ecs_service_health\"", "\"gitlab_cancel_pipeline\"", "\"host_uptime_load\"");
        }
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asString().equals(name)) {
                return v;
            }
        }
        throw new IllegalStateException("no volume " + name);
    }
}
