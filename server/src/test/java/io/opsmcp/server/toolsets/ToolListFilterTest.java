package io.opsmcp.server.toolsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.http.HttpTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --read-only}, {@code --tools-include} and {@code --tools-exclude} over stdio (the real command line in a
 * child JVM) and streamable HTTP: only the published tools are listed, a left-out tool is refused as unknown and
 * never reaches its toolset, the CLI's list and the MCP list agree, and a pattern that matches nothing is a warning
 * on stderr.
 */
class ToolListFilterTest {

    /** Read-only, host tools and approval_status only, no host_service_*; 'ecz_*' is a typo matching nothing. */
    private static final List<String> FLAGS = List.of(
            "--toolsets",
            "hosts",
            "--read-only",
            "--tools-include",
            "host_*",
            "--tools-include",
            "approval_*",
            "--tools-include",
            "ecz_*",
            "--tools-exclude",
            "host_service_*");

    @TempDir
    Path dir;

    @Test
    void overStreamableHttpOnlyPublishedToolsAreListedAndCallable() throws Exception {
        ConfigLoader.ToolFlags flags = new ConfigLoader.ToolFlags(
                true, List.of("host_*", "approval_*", "ecz_*"), List.of("host_service_*"), null);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                        .load(
                                null,
                                new ConfigLoader.Overrides(
                                        "http", "127.0.0.1", 0, List.of("hosts"), false, "warn", dir, flags)));
                HttpTransport http = HttpTransport.start(runtime)) {
            McpSyncClient client = McpClients.http(http.port(), tools -> {});
            try {
                List<String> listed = assertPublished(client);
                // one place decides: the gateway (ops-mcp tools, ops://tools/catalog) holds exactly what is listed
                assertThat(runtime.gateway().tools().stream()
                                .map(t -> t.definition().name())
                                .toList())
                        .containsExactlyInAnyOrderElementsOf(listed);
                assertThat(runtime.warnings())
                        .singleElement()
                        .asString()
                        .startsWith("tools.include: pattern 'ecz_*' matches no tool of the enabled toolsets");
                assertRefusedWithoutReachingAToolset(runtime, client);
            } finally {
                client.close();
            }
        }
    }

    @Test
    void overStdioOnlyPublishedToolsAreListedAndCallable() {
        Queue<String> stderr = new ConcurrentLinkedQueue<>();
        McpSyncClient client = McpClients.stdio(dir.resolve("data"), FLAGS, stderr, tools -> {});
        try {
            assertPublished(client);
            assertRefused(client);
        } finally {
            client.close();
        }
        assertThat(String.join("\n", stderr))
                .contains("ops-mcp: warning: tools.include: pattern 'ecz_*' matches no tool of the enabled toolsets");
    }

    private static List<String> assertPublished(McpSyncClient client) {
        List<McpSchema.Tool> tools = client.listTools().tools();
        List<String> names = tools.stream().map(McpSchema.Tool::name).toList();
        assertThat(names).contains("host_list", "host_disk_usage", "approval_status");
        assertThat(names).allMatch(n -> n.startsWith("host_") || n.equals("approval_status"));
        assertThat(names).noneMatch(n -> n.startsWith("host_service_"));
        assertThat(tools)
                .allSatisfy(t ->
                        assertThat(t.annotations().readOnlyHint()).as(t.name()).isTrue());
        // resources and prompts are not filtered: the guard's resources stay although approval_status is the only
        // guard tool left, and every prompt is listed
        assertThat(client.listResources().resources())
                .extracting(McpSchema.Resource::uri)
                .contains("ops://approvals/pending", "ops://audit/recent");
        assertThat(client.listPrompts().prompts())
                .extracting(McpSchema.Prompt::name)
                .contains("investigate_host");
        // a published tool still runs
        assertThat(client.callTool(new McpSchema.CallToolRequest("host_list", Map.of()))
                        .isError())
                .isNotEqualTo(Boolean.TRUE);
        return names;
    }

    private static void assertRefused(McpSyncClient client) {
        // mutating (left out by --read-only) and read-only but excluded (host_service_*)
        assertThat(McpClients.refusal(client, "host_service_restart", Map.of("host", "web-1", "unit", "nginx")))
                .containsIgnoringCase("unknown tool")
                .contains("host_service_restart");
        assertThat(McpClients.refusal(client, "host_service_status", Map.of("host", "web-1", "unit", "nginx")))
                .containsIgnoringCase("unknown tool")
                .contains("host_service_status");
    }

    private static void assertRefusedWithoutReachingAToolset(OpsMcpRuntime runtime, McpSyncClient client) {
        assertRefused(client);
        // had a toolset been reached, the gateway would have audited the call with its toolset
        List<AuditEntry> audit = runtime.stores().audit().tail(100);
        assertThat(audit)
                .noneMatch(e -> e.event().tool() != null
                        && e.event().tool().startsWith("host_service_")
                        && e.event().toolset() != null);
        assertThat(runtime.gateway().tools())
                .extracting(ToolGateway.RegisteredTool::toolset)
                .doesNotContain("discovery");
    }
}
