package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ops-mcp client-config} run from the packaged jar: every client's snippet parses (JSON, or Claude Code's
 * command line), names this jar, this JVM's java and the given configuration file, and the Claude Desktop snippet's
 * command, run as the client would run it, starts the server and answers {@code initialize} over stdio.
 */
class ClientConfigIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    /** Runs the jar with {@code args}; returns stdout, failing on a non-zero exit. */
    private String clientConfig(String... args) throws Exception {
        List<String> command = NodeHarness.serverCommand("client-config");
        command.addAll(List.of(args));
        Path err = tmp.resolve("client-config.err");
        Process process =
                new ProcessBuilder(command).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(err)).isZero();
        return out;
    }

    private Path config() throws Exception {
        Path config = tmp.resolve("ops-mcp.yaml");
        Files.writeString(config, "data_dir: " + tmp.resolve("data") + "\nlogging: {level: warn}\n");
        return config;
    }

    private static List<String> args(JsonNode server) {
        List<String> out = new ArrayList<>();
        server.path("args").forEach(a -> out.add(a.asString()));
        return out;
    }

    private static void assertNamesThisInstallation(JsonNode server, Path config) {
        Path java = Path.of(server.path("command").asString());
        assertThat(java).isAbsolute().isEqualTo(Path.of(E2e.java()));
        assertThat(Files.isExecutable(java)).isTrue();
        List<String> all = args(server);
        // the launcher's JVM flags, then the jar
        assertThat(all.subList(0, all.indexOf("-jar")))
                .containsExactlyElementsOf(io.opsmcp.server.cli.ClientConfigCommand.JVM_OPTIONS);
        List<String> args = all.subList(all.indexOf("-jar"), all.size());
        assertThat(args.subList(0, 2)).containsExactly("-jar", E2e.jar().toString());
        assertThat(Files.isRegularFile(Path.of(args.get(1)))).isTrue();
        assertThat(args.subList(2, args.size()))
                .containsExactly("serve", "--transport", "stdio", "--config", config.toString());
    }

    @Test
    void everyClientsSnippetNamesThisInstallation() throws Exception {
        Path config = config();
        assertNamesThisInstallation(
                JSON.readTree(clientConfig("claude-desktop", "--config", config.toString()))
                        .path("mcpServers")
                        .path("ops-mcp"),
                config);
        assertNamesThisInstallation(
                JSON.readTree(clientConfig("cursor", "--config", config.toString()))
                        .path("mcpServers")
                        .path("ops-mcp"),
                config);
        JsonNode vscode = JSON.readTree(clientConfig("vscode", "--config", config.toString()))
                .path("servers")
                .path("ops-mcp");
        assertThat(vscode.path("type").asString()).isEqualTo("stdio");
        assertNamesThisInstallation(vscode, config);
        JsonNode claudeCode = JSON.readTree(clientConfig("claude-code", "--json", "--config", config.toString()))
                .path("mcpServers")
                .path("ops-mcp");
        assertThat(claudeCode.path("type").asString()).isEqualTo("stdio");
        assertNamesThisInstallation(claudeCode, config);
        assertThat(clientConfig("claude-code", "--config", config.toString()).strip())
                .isEqualTo("claude mcp add --transport stdio ops-mcp -- " + E2e.java() + " "
                        + String.join(" ", io.opsmcp.server.cli.ClientConfigCommand.JVM_OPTIONS) + " -jar "
                        + E2e.jar()
                        + " serve --transport stdio --config " + config);
    }

    @Test
    void thePrintedCommandStartsTheServerAndAnswersInitialize() throws Exception {
        JsonNode server = JSON.readTree(clientConfig("claude-desktop", "--config", config().toString()))
                .path("mcpServers")
                .path("ops-mcp");
        List<String> command = new ArrayList<>(List.of(server.path("command").asString()));
        command.addAll(args(server));
        Process process = new ProcessBuilder(command)
                .redirectError(tmp.resolve("server.err").toFile())
                .start();
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (java.io.IOException e) {
                            return null;
                        }
                    })
                    .get(120, TimeUnit.SECONDS);
            assertThat(line).as(Files.readString(tmp.resolve("server.err"))).isNotNull();
            JsonNode answer = JSON.readTree(line);
            assertThat(answer.path("id").asInt()).isEqualTo(1);
            assertThat(answer.path("result").path("serverInfo").path("name").asString())
                    .isEqualTo("ops-mcp");
            stdin.close();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
