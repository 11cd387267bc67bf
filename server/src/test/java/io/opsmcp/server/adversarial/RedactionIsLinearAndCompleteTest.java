package io.opsmcp.server.adversarial;

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
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 10 item 10, through the real server over stdio: a {@code tools/call} whose argument is 24,000 characters
 * built to make a backtracking key=value rule quadratic (a run of word characters, then a secret assignment) is
 * answered promptly, and neither the answer nor the audit record ({@code ops-mcp audit tail}) holds the secret.
 * Before the fix the redaction of that argument alone took over a minute of CPU on the shared CI machine.
 */
class RedactionIsLinearAndCompleteTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "S3cr3t-ReDoS-Xq9";

    @TempDir
    Path dir;

    @Test
    void aPathological24kArgumentIsRedactedAndAnswered() throws Exception {
        String argument = "a".repeat(24_000 - 40) + " --password " + SECRET + " password=" + SECRET;
        try (StdioServer server = new StdioServer(dir, "--sandbox")) {
            server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"adversary\",\"version\":\"1\"}}}");
            List<JsonNode> seen = new ArrayList<>();
            assertThat(server.awaitId(1, seen, 120))
                    .as("initialize; stderr:%n%s", server.stderr())
                    .isNotNull();
            server.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

            ObjectNode call =
                    JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call");
            ObjectNode params = call.putObject("params").put("name", "host_tail_file");
            params.putObject("arguments").put("host", "sandbox").put("path", argument);
            long start = System.nanoTime();
            server.sendLine(JSON.writeValueAsString(call));
            JsonNode answer = server.awaitId(2, seen, 30);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("24k pathological argument answered in " + ms + " ms");
            assertThat(answer).as("the call is answered within 30 s").isNotNull();
            assertThat(answer.toString()).doesNotContain(SECRET);
            assertThat(answer.path("result").path("isError").asBoolean())
                    .as(answer.toString())
                    .isTrue();
        }
        String audit = audit("tail", "-n", "20", "--json");
        assertThat(audit).as("audit tail ran").contains("host_tail_file");
        assertThat(audit).doesNotContain(SECRET);
    }

    private String audit(String... args) throws Exception {
        List<String> command = new ArrayList<>(StdioServer.javaCommand());
        command.add("audit");
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", dir.resolve("data").toString()));
        Path out = dir.resolve("audit.out");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("audit " + String.join(" ", args) + " did not finish");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
