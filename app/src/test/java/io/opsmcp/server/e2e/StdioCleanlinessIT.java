package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code serve --transport stdio --sandbox --log-level debug}: a session that starts the sandbox, lists
 * tools, runs a host tool, fails validation once and pings must leave nothing on stdout but newline-delimited
 * JSON-RPC messages, while the debug log goes to stderr, as text or (with {@code OPS_MCP_LOG_FORMAT=json}) as one
 * JSON object per line carrying the tool call's request id and principal. The raw bytes are read here rather than
 * through an SDK client, which would skip lines it cannot parse.
 */
class StdioCleanlinessIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EOF = "\u0000eof";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void stdoutCarriesOnlyJsonRpcAtDebugLogLevel(String logFormat) throws Exception {
        Path stderr = tmp.resolve("stderr.log");
        ProcessBuilder command = new ProcessBuilder(NodeHarness.serverCommand(
                        "serve",
                        "--transport",
                        "stdio",
                        "--sandbox",
                        "--log-level",
                        "debug",
                        "--data-dir",
                        tmp.resolve("data").toString()))
                .redirectError(stderr.toFile());
        command.environment().put("OPS_MCP_LOG_FORMAT", logFormat);
        command.environment().put("OPS_MCP_PRINCIPAL", "stdio-tester");
        Process server = command.start();
        List<String> stdout = new ArrayList<>();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line = in.readLine(); line != null; line = in.readLine()) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            lines.add("reader failed: " + e);
                        }
                        lines.add(EOF);
                    },
                    "stdout-reader");
            reader.setDaemon(true);
            reader.start();

            try (OutputStream in = server.getOutputStream()) {
                send(
                        in,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"stdio-cleanliness\",\"version\":\"1\"}}}");
                awaitResponses(lines, stdout, Set.of(1));
                send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                send(
                        in,
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}");
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
                send(
                        in,
                        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"host_disk_usage\","
                                + "\"arguments\":{\"host\":\"sandbox\"},\"_meta\":{\"progressToken\":\"p1\"}}}");
                send(
                        in,
                        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"host_journal\","
                                + "\"arguments\":{\"host\":\"sandbox\",\"unit\":\"ssh;id\"}}}");
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}");
                awaitResponses(lines, stdout, Set.of(2, 3, 4, 5, 6));
            }
            assertThat(server.waitFor(30, TimeUnit.SECONDS))
                    .as("server exits when stdin closes")
                    .isTrue();
            reader.join(10_000);
            for (String line = lines.poll(); line != null && !EOF.equals(line); line = lines.poll()) {
                stdout.add(line);
            }

        } finally {
            if (server.isAlive()) {
                server.destroyForcibly();
                server.waitFor(15, TimeUnit.SECONDS);
            }
        }

        assertThat(stdout).isNotEmpty();
        for (String line : stdout) {
            JsonNode message = parse(line);
            assertThat(message.path("jsonrpc").asString())
                    .as("stdout line %s", line)
                    .isEqualTo("2.0");
            assertThat(message.has("method") || message.has("result") || message.has("error"))
                    .as("stdout line is a request, notification or response: %s", line)
                    .isTrue();
        }
        String log = Files.readString(stderr, StandardCharsets.UTF_8);
        if (logFormat.equals("text")) {
            assertThat(log).as("debug logging was on and went to stderr").contains(" DEBUG ");
            return;
        }
        assertThat(log).as("no text log lines with json logs").doesNotContain(" DEBUG ");
        List<JsonNode> events = log.lines()
                .filter(l -> l.startsWith("{"))
                .map(StdioCleanlinessIT::parse)
                .toList();
        assertThat(events)
                .as("debug logging was on and went to stderr as JSON")
                .anySatisfy(e -> assertThat(e.path("level").asString()).isEqualTo("DEBUG"));
        // the tools/call of host_disk_usage: the adapter's line and the tool's, with the caller's request id
        assertThat(events)
                .filteredOn(e -> e.at("/mdc/tool").asString("").equals("host_disk_usage"))
                .isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.at("/mdc/request_id").asString()).startsWith("req_");
                    assertThat(e.at("/mdc/principal").asString()).isEqualTo("stdio-tester");
                });
    }

    private static void send(OutputStream in, String message) throws IOException {
        in.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Reads stdout lines into {@code stdout} until every id in {@code ids} has a response (120 s per line: the first
     * waits for the JVM and the sandbox to start, which took 52 s on a loaded 2-core CI machine).
     */
    private static void awaitResponses(BlockingQueue<String> lines, List<String> stdout, Set<Integer> ids)
            throws InterruptedException {
        Set<Integer> pending = new HashSet<>(ids);
        for (int i = 0; i < 1000 && !pending.isEmpty(); i++) {
            String line = lines.poll(120, TimeUnit.SECONDS);
            assertThat(line)
                    .as("stdout ended or went quiet while waiting for responses %s", pending)
                    .isNotNull()
                    .isNotEqualTo(EOF);
            stdout.add(line);
            JsonNode message = parse(line);
            if (message.has("id") && !message.has("method")) {
                pending.remove(message.path("id").asInt());
            }
        }
        assertThat(pending).as("responses never seen").isEmpty();
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject())
                    .as("stdout line is a JSON object: %s", line)
                    .isTrue();
            return node;
        } catch (JacksonException e) {
            throw new AssertionError("stdout line is not JSON: " + line, e);
        }
    }
}
