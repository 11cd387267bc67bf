package io.opsmcp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.cli.ClientConfigCommand.Client;
import io.opsmcp.server.cli.ClientConfigCommand.Installation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snippets of {@code ops-mcp client-config}: each client's JSON shape with this installation's paths, the
 * Claude Code command line, the HTTP variants, and which jar a code-source URL means. That a printed command starts
 * the server is checked against the packaged jar ({@code ClientConfigIT} in app).
 */
class ClientConfigCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Installation HERE =
            new Installation(Path.of("/opt/jdk 21/bin/java"), Path.of("/home/me/ops-mcp/ops-mcp.jar"));
    private static final Path CONFIG = Path.of("/home/me/.config/ops-mcp/ops-mcp.yaml");
    private static final List<String> STDIO_ARGS = java.util.stream.Stream.concat(
                    ClientConfigCommand.JVM_OPTIONS.stream(),
                    java.util.stream.Stream.of(
                            "-jar",
                            "/home/me/ops-mcp/ops-mcp.jar",
                            "serve",
                            "--transport",
                            "stdio",
                            "--config",
                            "/home/me/.config/ops-mcp/ops-mcp.yaml"))
            .toList();

    private static JsonNode json(Client client, Path config, URI url, boolean asJson) {
        return JSON.readTree(ClientConfigCommand.snippet(client, HERE, config, url, asJson));
    }

    private static List<String> args(JsonNode server) {
        List<String> out = new ArrayList<>();
        server.path("args").forEach(a -> out.add(a.asString()));
        return out;
    }

    @Test
    void stdioSnippetsHaveEachClientsShapeAndThisInstallationsPaths() {
        JsonNode desktop = json(Client.CLAUDE_DESKTOP, CONFIG, null, false)
                .path("mcpServers")
                .path("ops-mcp");
        assertThat(desktop.path("command").asString()).isEqualTo("/opt/jdk 21/bin/java");
        assertThat(args(desktop)).containsExactlyElementsOf(STDIO_ARGS);
        assertThat(desktop.has("type")).isFalse();

        JsonNode cursor =
                json(Client.CURSOR, CONFIG, null, false).path("mcpServers").path("ops-mcp");
        assertThat(cursor.path("command").asString()).isEqualTo("/opt/jdk 21/bin/java");
        assertThat(args(cursor)).containsExactlyElementsOf(STDIO_ARGS);

        JsonNode vscode =
                json(Client.VSCODE, CONFIG, null, false).path("servers").path("ops-mcp");
        assertThat(vscode.path("type").asString()).isEqualTo("stdio");
        assertThat(args(vscode)).containsExactlyElementsOf(STDIO_ARGS);

        JsonNode mcpJson =
                json(Client.CLAUDE_CODE, CONFIG, null, true).path("mcpServers").path("ops-mcp");
        assertThat(mcpJson.path("type").asString()).isEqualTo("stdio");
        assertThat(args(mcpJson)).containsExactlyElementsOf(STDIO_ARGS);
    }

    @Test
    void withoutAConfigFileTheServerStartsOnItsDefaults() {
        JsonNode desktop = json(Client.CLAUDE_DESKTOP, null, null, false)
                .path("mcpServers")
                .path("ops-mcp");
        assertThat(args(desktop)).containsExactlyElementsOf(STDIO_ARGS.subList(0, STDIO_ARGS.size() - 2));
    }

    @Test
    void theStartupCacheScriptStartsTheServerWithTheSameJvmFlags() throws Exception {
        String script = java.nio.file.Files.readString(Path.of("../scripts/startup-cache.sh"));
        assertThat(script).contains("JVM_OPTS=\"" + String.join(" ", ClientConfigCommand.JVM_OPTIONS) + "\"");
    }

    @Test
    void claudeCodeGetsAShellCommandLineQuotedWhereNeeded() {
        assertThat(ClientConfigCommand.snippet(Client.CLAUDE_CODE, HERE, CONFIG, null, false))
                .isEqualTo("claude mcp add --transport stdio ops-mcp -- '/opt/jdk 21/bin/java' "
                        + String.join(" ", ClientConfigCommand.JVM_OPTIONS) + " -jar"
                        + " /home/me/ops-mcp/ops-mcp.jar serve --transport stdio --config"
                        + " /home/me/.config/ops-mcp/ops-mcp.yaml");
        assertThat(ClientConfigCommand.shellQuote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ClientConfigCommand.shellQuote("$(reboot)")).isEqualTo("'$(reboot)'");
    }

    @Test
    void httpSnippetsPointAtTheUrl() {
        URI url = URI.create("http://127.0.0.1:8080/mcp");
        assertThat(json(Client.VSCODE, null, url, false).path("servers").path("ops-mcp"))
                .hasToString("{\"type\":\"http\",\"url\":\"http://127.0.0.1:8080/mcp\"}");
        assertThat(json(Client.CURSOR, null, url, false).path("mcpServers").path("ops-mcp"))
                .hasToString("{\"url\":\"http://127.0.0.1:8080/mcp\"}");
        assertThat(json(Client.CLAUDE_CODE, null, url, true).path("mcpServers").path("ops-mcp"))
                .hasToString("{\"type\":\"http\",\"url\":\"http://127.0.0.1:8080/mcp\"}");
        assertThat(ClientConfigCommand.snippet(Client.CLAUDE_CODE, null, null, url, false))
                .isEqualTo("claude mcp add --transport http ops-mcp http://127.0.0.1:8080/mcp");
    }

    @Test
    void badInputIsAUsageErrorNamingTheOption() {
        assertThat(run("client-config", "vscode", "--http", "ftp://x/mcp")).startsWith("2\n");
        assertThat(run("client-config", "vscode", "--http", "ftp://x/mcp")).contains("--http: 'ftp://x/mcp'");
        assertThat(run("client-config", "claude-desktop", "--http", "http://127.0.0.1:8080/mcp"))
                .startsWith("2\n")
                .contains("Settings > Connectors");
        assertThat(run("client-config", "zed")).startsWith("2\n").contains("'zed' is not a supported client");
    }

    @Test
    void theOuterJarOfACodeSourceIsFound() {
        assertThat(ClientConfigCommand.outerJar(
                        "jar:nested:/srv/ops%20mcp/ops-mcp.jar/!BOOT-INF/lib/ops-mcp-server-0.1.0.jar!/"))
                .contains(Path.of("/srv/ops mcp/ops-mcp.jar"));
        assertThat(ClientConfigCommand.outerJar("file:/srv/lib/ops-mcp-server-0.1.0.jar"))
                .contains(Path.of("/srv/lib/ops-mcp-server-0.1.0.jar"));
        assertThat(ClientConfigCommand.outerJar("file:/work/server/target/classes/"))
                .isEqualTo(Optional.empty());
        // this test runs from class directories (and surefire's booter jar): no ops-mcp jar to name
        assertThat(ClientConfigCommand.runningJar()).isEmpty();
    }

    /** Exit code, newline, then what went to stdout and stderr. */
    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new OpsMcpCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute(args);
        return code + "\n" + out;
    }
}
