package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A stdio server answers {@code initialize} before it opens its store and compiles its policy. When either cannot be
 * opened (the embedded store held by another server on the same data directory, an unreachable PostgreSQL, a URL with
 * a password in it, a policy bundle that does not compile), a {@code tools/call} made meanwhile is refused as a tool
 * error the client's model can read ({@code isError}, the store's or the policy's own message: what failed and what
 * to do), not as a JSON-RPC internal error; no stack trace and no password is in it, and nothing is run.
 * {@code resources/read} and {@code completion/complete}, which have no tool error, are answered with a JSON-RPC
 * internal error ({@code -32603}) carrying the same message. The server is the stdio server's runtime and the SDK's
 * stdio transport in this JVM ({@link LazyStdioServer}); the other server holding the store is a real one in a child
 * JVM.
 */
class UnopenedStoreOrPolicyAnswersToolErrorsTest {

    @TempDir
    Path dir;

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String SEARCH = """
            {"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"runbook_search",\
            "arguments":{"query":"disk"}}}""";
    private static final String READ_AUDIT = """
            {"jsonrpc":"2.0","id":%d,"method":"resources/read","params":{"uri":"ops://audit/recent"}}""";

    private static final String COMPLETE = """
            {"jsonrpc":"2.0","id":%d,"method":"completion/complete","params":{"ref":{"type":"ref/resource",\
            "uri":"ops://approvals/{id}"},"argument":{"name":"id","value":"apr_"}}}""";

    private static String config(String yaml) {
        return "toolsets: [runbooks]\n" + yaml;
    }

    /**
     * Sends {@code initialize}, starts the store and the policy as the stdio transport does once it has answered, and
     * without waiting for them sends a {@code tools/call} (id 2), a {@code resources/read} (id 3) and a
     * {@code completion/complete} (id 4); returns their answers.
     */
    private static List<JsonNode> callWhileOpening(LazyStdioServer server) throws Exception {
        server.sendLine(INITIALIZE);
        assertThat(server.awaitId(1, new ArrayList<>(), 90)).as("initialize").isNotNull();
        server.runtime().startInBackground();
        server.sendLine(INITIALIZED);
        server.sendLine(SEARCH.formatted(2));
        server.sendLine(READ_AUDIT.formatted(3));
        server.sendLine(COMPLETE.formatted(4));
        List<JsonNode> seen = new ArrayList<>();
        List<JsonNode> answers = new ArrayList<>();
        for (int id = 2; id <= 4; id++) {
            JsonNode answer = server.awaitId(id, seen, 60);
            assertThat(answer).as("request %s answered; seen %s", id, seen).isNotNull();
            answers.add(answer);
        }
        return answers;
    }

    /** The text of a tools/call answered as a tool error (fails when it was answered otherwise). */
    private static String toolError(JsonNode answer) {
        assertThat(answer.has("error"))
                .as("a tool result, not a JSON-RPC error: %s", answer)
                .isFalse();
        assertThat(answer.path("result").path("isError").asBoolean())
                .as("isError: %s", answer)
                .isTrue();
        String text = answer.path("result").path("content").path(0).path("text").asString();
        assertThat(text)
                .startsWith("Refused, nothing was run: ops-mcp cannot decide or audit calls because its store or"
                        + " policy did not open: ")
                .doesNotContain("Exception", "\tat ", "\n\tat");
        return text;
    }

    /** The message of a request answered with a JSON-RPC internal error (fails when it was answered otherwise). */
    private static String rpcError(JsonNode answer) {
        assertThat(answer.path("error").path("code").asInt()).as("%s", answer).isEqualTo(-32603);
        return answer.path("error").path("message").asString();
    }

    @Test
    void aSecondServerOnAHeldDataDirectoryNamesTheHeldStoreInTheToolError() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("holder.yaml"), config(""));
        Path first = Files.createDirectories(dir.resolve("first"));
        try (StdioServer holder = new StdioServer(first, data, "--config", config.toString())) {
            holder.sendLine(INITIALIZE);
            assertThat(holder.awaitId(1, new ArrayList<>(), 90)).isNotNull();
            holder.sendLine(INITIALIZED);
            holder.sendLine(SEARCH.formatted(2));
            JsonNode ok = holder.awaitId(2, new ArrayList<>(), 90);
            assertThat(ok.path("result").path("isError").asBoolean())
                    .as("the first server works (and holds the store): %s; stderr: %s", ok, holder.stderr())
                    .isFalse();

            try (LazyStdioServer late = new LazyStdioServer(dir, config(""), data)) {
                List<JsonNode> answers = callWhileOpening(late);

                assertThat(toolError(answers.get(0)))
                        .contains("is held by another process")
                        .contains("give this one its own data_dir")
                        .contains("store.type: postgres");
                assertThat(rpcError(answers.get(1))).contains("is held by another process");
                assertThat(rpcError(answers.get(2))).contains("is held by another process");
            }
        }
    }

    @Test
    void aPolicyBundleThatDoesNotCompileIsNamedWithFileAndLine() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle/opsmcp"));
        Files.writeString(
                bundle.resolve("authz.rego"), "package opsmcp.authz\n\nimport rego.v1\n\ndecision := {\"allow\": \n");
        String config = config("policy:\n  bundle_dir: " + bundle.getParent() + "\n");
        try (LazyStdioServer server = new LazyStdioServer(dir, config, dir.resolve("data"))) {
            List<JsonNode> answers = callWhileOpening(server);

            assertThat(toolError(answers.get(0))).contains("policy.bundle_dir").containsPattern("authz\\.rego:\\d+");
            assertThat(rpcError(answers.get(1))).contains("authz.rego");
            assertThat(rpcError(answers.get(2))).contains("authz.rego");
        }
    }

    @Test
    void anUnreachablePostgresIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String config = config("""
                store:
                  type: postgres
                  url: jdbc:postgresql://127.0.0.1:%d/opsmcp
                  user: ops
                """.formatted(closedPort));
        try (LazyStdioServer server = new LazyStdioServer(dir, config, dir.resolve("data"))) {
            List<JsonNode> answers = callWhileOpening(server);

            assertThat(toolError(answers.get(0)))
                    .contains("cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort + "/opsmcp as ops");
            assertThat(rpcError(answers.get(1))).contains("cannot connect");
        }
    }

    @Test
    void aPasswordInThePostgresUrlIsNeitherUsedNorShown() throws Exception {
        String config = config("""
                store:
                  type: postgres
                  url: jdbc:postgresql://ops:s3cret-pw-4712@127.0.0.1:5432/opsmcp
                  user: ops
                """);
        try (LazyStdioServer server = new LazyStdioServer(dir, config, dir.resolve("data"))) {
            List<JsonNode> answers = callWhileOpening(server);

            assertThat(toolError(answers.get(0)))
                    .contains("store.url: must not contain a user or password")
                    .doesNotContain("s3cret-pw-4712");
            assertThat(rpcError(answers.get(1))).doesNotContain("s3cret-pw-4712");
            assertThat(rpcError(answers.get(2))).doesNotContain("s3cret-pw-4712");
        }
    }
}
