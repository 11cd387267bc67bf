package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official MCP Inspector's CLI ({@code @modelcontextprotocol/inspector} 2.12, pinned in {@code e2e/package.json})
 * against the packaged jar: {@code --strict} finds no tool-schema portability problem (errors or warnings) in the
 * default tool list nor in the {@code --read-only} one, and a 2026-07-28 client ({@code --protocol-era modern})
 * lists and calls tools at the same {@code /mcp} as 2025-11-25 clients.
 */
class InspectorIT {

    private static final String DEFAULT_TOOLSETS = "hosts,aws,gitlab,deployments";

    @TempDir
    Path tmp;

    /** Exit status, stdout and stderr of one Inspector CLI run. */
    private record Run(int exit, String out, String err) {}

    private Run inspector(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                E2e.node(),
                E2e.e2eDir()
                        .resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js")
                        .toString(),
                "--cli"));
        command.addAll(args);
        Path out = Files.createTempFile(tmp, "inspector", ".out");
        Path err = Files.createTempFile(tmp, "inspector", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Run run = new Run(
                finished ? process.exitValue() : -1,
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        assertThat(finished).as("inspector finished within 180 s: " + run.err()).isTrue();
        return run;
    }

    private List<String> strictStdio(String... serveArgs) {
        List<String> args = new ArrayList<>(
                List.of("--strict", "--connect-timeout", "120000", "--method", "tools/list", E2e.java(), "-jar"));
        args.add(E2e.jar().toString());
        args.addAll(List.of(
                "serve",
                "--transport",
                "stdio",
                "--sandbox",
                "--toolsets",
                DEFAULT_TOOLSETS,
                // no --log-level: the Inspector takes that option as its own
                "--data-dir",
                tmp.resolve("data-" + serveArgs.length).toString()));
        args.addAll(List.of(serveArgs));
        return args;
    }

    /** The portability findings Inspector printed ("Warning: tool ..." / "Error: tool ..." blocks). */
    private static List<String> findings(String stderr) {
        return stderr.lines()
                .filter(line -> line.startsWith("Warning: tool") || line.startsWith("Error: tool"))
                .toList();
    }

    @Test
    void strictFindsNoSchemaProblemInTheDefaultOrTheReadOnlyList() throws Exception {
        Run all = inspector(strictStdio());
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(findings(all.err())).as(all.err()).isEmpty();
        int listed =
                JsonMapper.builder().build().readTree(all.out()).path("tools").size();
        assertThat(listed).as(all.out()).isGreaterThan(40);

        Run readOnly = inspector(strictStdio("--read-only"));
        assertThat(readOnly.exit()).as(readOnly.err()).isZero();
        assertThat(findings(readOnly.err())).as(readOnly.err()).isEmpty();
        JsonNode tools = JsonMapper.builder().build().readTree(readOnly.out()).path("tools");
        assertThat(tools.size()).isBetween(1, listed - 1);
        tools.forEach(
                tool -> assertThat(tool.path("annotations").path("readOnlyHint").asBoolean())
                        .as(tool.path("name").asString())
                        .isTrue());
    }

    @Test
    void aModernEraClientListsAndCallsTools() throws Exception {
        try (ServerProcess server = ServerProcess.startHttp(tmp.resolve("http"), "--sandbox")) {
            String url = "http://127.0.0.1:" + server.port() + "/mcp";
            Run list = inspector(List.of("--protocol-era", "modern", "--server-url", url, "--method", "tools/list"));
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).contains("\"host_uptime_load\"");

            Run call = inspector(List.of(
                    "--protocol-era",
                    "modern",
                    "--server-url",
                    url,
                    "--method",
                    "tools/call",
                    "--tool-name",
                    "host_uptime_load",
                    "--tool-arg",
                    "host=sandbox"));
            assertThat(call.exit()).as(call.err()).isZero();
            assertThat(call.out()).contains("load average").contains("io.modelcontextprotocol/serverInfo");
        }
    }
}
