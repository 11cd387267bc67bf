package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real stdio server process whose policy bundle does not compile: it answers {@code initialize} at once (before it
 * compiles the policy), a {@code tools/call} sent right after is refused as a tool error naming the file and line and
 * nothing runs, and only then does the server stop, with status 1 — the start watch gives waiting calls their answer
 * before it ends the process, instead of racing them.
 */
class StdioServerWithoutPolicyAnswersThenStopsTest {

    @TempDir
    Path dir;

    @Test
    void theCallWaitingForAPolicyThatDoesNotCompileIsAnsweredBeforeTheServerStops() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle/opsmcp"));
        Files.writeString(
                bundle.resolve("authz.rego"), "package opsmcp.authz\n\nimport rego.v1\n\ndecision := {\"allow\": \n");
        Path config = Files.writeString(
                dir.resolve("ops-mcp.yaml"),
                "toolsets: [runbooks]\npolicy:\n  bundle_dir: " + bundle.getParent() + "\n");
        try (StdioServer server = new StdioServer(dir, "--config", config.toString())) {
            server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
            List<JsonNode> seen = new ArrayList<>();
            assertThat(server.awaitId(1, seen, 90))
                    .as("initialize; stderr: %s", server.stderr())
                    .isNotNull();
            server.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"runbook_search\",\"arguments\":{\"query\":\"disk\"}}}");

            JsonNode call = server.awaitId(2, seen, 60);

            assertThat(call)
                    .as("answered before the server stopped; seen %s; stderr: %s", seen, server.stderr())
                    .isNotNull();
            assertThat(call.has("error"))
                    .as("a tool result, not a JSON-RPC error: %s", call)
                    .isFalse();
            assertThat(call.at("/result/isError").asBoolean()).isTrue();
            assertThat(call.at("/result/content/0/text").asString())
                    .contains("nothing was run")
                    .containsPattern("authz\\.rego:\\d+");
            assertThat(server.process().waitFor(30, TimeUnit.SECONDS))
                    .as("the server stops")
                    .isTrue();
            assertThat(server.process().exitValue()).isEqualTo(1);
        }
    }
}
