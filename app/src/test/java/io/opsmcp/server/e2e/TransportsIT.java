package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real MCP client (the official TypeScript SDK) against the fat jar with {@code --sandbox} on each
 * transport: stdio, streamable HTTP ({@code /mcp}) and legacy HTTP+SSE ({@code /sse}). Each lists the seven
 * host tools (among any others) and reads disk usage of the embedded SSH host {@code sandbox}.
 */
class TransportsIT {

    private static final String DISK_USAGE_CALL =
            "[{\"name\":\"host_disk_usage\",\"arguments\":{\"host\":\"sandbox\"}}]";

    @TempDir
    static Path tmp;

    private static ServerProcess http;

    @BeforeAll
    static void startHttpServer() throws Exception {
        http = ServerProcess.startHttp(tmp.resolve("data-http"), "--sandbox");
    }

    @AfterAll
    static void stopHttpServer() throws Exception {
        if (http != null) {
            http.close();
        }
    }

    @Test
    void stdioListsHostToolsAndReadsSandboxDiskUsage() throws Exception {
        List<String> transport = new ArrayList<>(List.of("--stdio"));
        transport.addAll(NodeHarness.serverCommand(
                "serve",
                "--transport",
                "stdio",
                "--sandbox",
                "--data-dir",
                tmp.resolve("data-stdio").toString()));
        assertHostToolsAndDiskUsage(new NodeHarness(tmp).client(DISK_USAGE_CALL, transport));
    }

    @Test
    void streamableHttpListsHostToolsAndReadsSandboxDiskUsage() throws Exception {
        assertHostToolsAndDiskUsage(new NodeHarness(tmp).client(DISK_USAGE_CALL, List.of("--http", http.url("/mcp"))));
    }

    @Test
    void legacySseListsHostToolsAndReadsSandboxDiskUsage() throws Exception {
        assertHostToolsAndDiskUsage(new NodeHarness(tmp).client(DISK_USAGE_CALL, List.of("--sse", http.url("/sse"))));
    }

    private static void assertHostToolsAndDiskUsage(JsonNode report) {
        assertThat(report.path("server").path("name").asString()).isEqualTo("ops-mcp");
        List<String> tools = new ArrayList<>();
        report.path("tools").forEach(t -> tools.add(t.path("name").asString()));
        // Later issues add tools (more host_* tools, approvals); the seven read-only host tools must be there.
        assertThat(tools).containsAll(E2e.HOST_TOOLS);

        JsonNode call = report.path("calls").path(0);
        assertThat(call.has("error"))
                .as("protocol error: %s", call.path("error"))
                .isFalse();
        JsonNode result = call.path("result");
        assertThat(result.path("isError").asBoolean())
                .as("tool error: %s", result.path("content"))
                .isFalse();
        JsonNode structured = result.path("structuredContent");
        assertThat(structured.path("host").asString()).isEqualTo("sandbox");
        List<String> mounts = new ArrayList<>();
        structured.path("filesystems").forEach(fs -> {
            mounts.add(fs.path("mount_point").asString());
            assertThat(fs.path("size_bytes").asLong()).as("size of %s", fs).isGreaterThanOrEqualTo(0);
        });
        // The sandbox host is this machine, so its root file system must be among the rows.
        assertThat(mounts).contains("/");
        assertThat(result.path("content").path(0).path("text").asString()).contains("sandbox");
    }
}
