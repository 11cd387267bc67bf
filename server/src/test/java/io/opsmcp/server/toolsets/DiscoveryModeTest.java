package io.opsmcp.server.toolsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.http.HttpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery mode over streamable HTTP with two MCP sessions (MCP Java SDK clients): each starts with
 * {@code toolsets_list} and {@code toolset_enable}; enabling {@code aws} on one session sends it
 * {@code notifications/tools/list_changed} and adds the aws tools to its list only; the other session neither lists
 * nor may call them. Both discovery tools pass the gateway and are audited. Over stdio the one session gets the
 * notification too.
 */
class DiscoveryModeTest {

    @TempDir
    Path dir;

    @Test
    void enablingAToolsetChangesOnlyThatSessionsList() throws Exception {
        Path config = dir.resolve("ops-mcp.yaml");
        Files.writeString(config, "identity: {id: alice, roles: [sre]}\n");
        ConfigLoader.ToolFlags flags = new ConfigLoader.ToolFlags(null, null, null, true);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                        .load(
                                config,
                                new ConfigLoader.Overrides(
                                        "http",
                                        "127.0.0.1",
                                        0,
                                        List.of("hosts", "aws"),
                                        true,
                                        "warn",
                                        dir.resolve("data"),
                                        flags)));
                HttpTransport http = HttpTransport.start(runtime)) {
            CompletableFuture<List<McpSchema.Tool>> changedA = new CompletableFuture<>();
            CompletableFuture<List<McpSchema.Tool>> changedB = new CompletableFuture<>();
            McpSyncClient a = McpClients.http(http.port(), changedA::complete);
            McpSyncClient b = McpClients.http(http.port(), changedB::complete);
            try {
                assertThat(a.getServerCapabilities().tools().listChanged()).isTrue();
                assertThat(McpClients.names(a)).containsExactlyInAnyOrder("toolsets_list", "toolset_enable");
                assertThat(McpClients.names(b)).containsExactlyInAnyOrder("toolsets_list", "toolset_enable");
                assertThat(toolsets(a)).containsEntry("aws", false).containsEntry("hosts", false);

                McpSchema.CallToolResult enabled =
                        a.callTool(new McpSchema.CallToolRequest("toolset_enable", Map.of("toolset", "aws")));
                assertThat(enabled.isError()).as(McpClients.text(enabled)).isNotEqualTo(Boolean.TRUE);

                List<McpSchema.Tool> notified = changedA.get(30, TimeUnit.SECONDS);
                assertThat(notified).extracting(McpSchema.Tool::name).contains("ecs_list_services", "aws_whoami");
                List<String> listedA = McpClients.names(a);
                assertThat(listedA).contains("toolsets_list", "toolset_enable", "ecs_list_clusters");
                assertThat(listedA).noneMatch(n -> n.startsWith("host_"));
                assertThat(toolsets(a)).containsEntry("aws", true).containsEntry("hosts", false);
                McpSchema.CallToolResult clusters =
                        a.callTool(new McpSchema.CallToolRequest("ecs_list_clusters", Map.of("account", "sandbox")));
                assertThat(clusters.isError()).as(McpClients.text(clusters)).isNotEqualTo(Boolean.TRUE);

                // the other session is untouched: same list, no notification, and the hidden tools are unknown to it
                assertThat(McpClients.names(b)).containsExactlyInAnyOrder("toolsets_list", "toolset_enable");
                assertThat(toolsets(b)).containsEntry("aws", false);
                assertThat(McpClients.refusal(b, "ecs_list_clusters", Map.of("account", "sandbox")))
                        .containsIgnoringCase("unknown tool")
                        .contains("ecs_list_clusters")
                        .contains("toolset_enable");
                assertThat(changedB).isNotDone();

                // guarded and audited like every tool
                List<AuditEntry> audit = runtime.stores().audit().tail(50);
                assertThat(audit)
                        .anyMatch(e -> "toolset_enable".equals(e.event().tool())
                                && "discovery".equals(e.event().toolset()));
                assertThat(audit).anyMatch(e -> "toolsets_list".equals(e.event().tool()));
                // an unknown toolset name is refused by the argument schema, naming the argument
                McpSchema.CallToolResult bad =
                        b.callTool(new McpSchema.CallToolRequest("toolset_enable", Map.of("toolset", "nope")));
                assertThat(bad.isError()).isTrue();
                assertThat(McpClients.text(bad)).contains("toolset");
                assertThat(McpClients.names(b)).containsExactlyInAnyOrder("toolsets_list", "toolset_enable");
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void overStdioTheOneSessionIsToldItsListChanged() throws Exception {
        CompletableFuture<List<McpSchema.Tool>> changed = new CompletableFuture<>();
        McpSyncClient client = McpClients.stdio(
                dir.resolve("data-stdio"),
                List.of("--toolsets", "hosts", "--tool-discovery"),
                new java.util.concurrent.ConcurrentLinkedQueue<>(),
                changed::complete);
        try {
            assertThat(McpClients.names(client)).containsExactlyInAnyOrder("toolsets_list", "toolset_enable");
            assertThat(McpClients.refusal(client, "host_list", Map.of()))
                    .containsIgnoringCase("unknown tool")
                    .contains("host_list");
            McpSchema.CallToolResult enabled =
                    client.callTool(new McpSchema.CallToolRequest("toolset_enable", Map.of("toolset", "hosts")));
            assertThat(enabled.isError()).as(McpClients.text(enabled)).isNotEqualTo(Boolean.TRUE);
            assertThat(changed.get(30, TimeUnit.SECONDS))
                    .extracting(McpSchema.Tool::name)
                    .contains("host_list", "toolset_enable");
            assertThat(toolsets(client)).containsEntry("hosts", true).containsEntry("guard", false);
            McpSchema.CallToolResult hosts = client.callTool(new McpSchema.CallToolRequest("host_list", Map.of()));
            assertThat(hosts.isError()).as(McpClients.text(hosts)).isNotEqualTo(Boolean.TRUE);
        } finally {
            client.close();
        }
    }

    /** Toolset name → whether this session lists it, from toolsets_list's structured result. */
    @SuppressWarnings("unchecked")
    private static Map<String, Boolean> toolsets(McpSyncClient client) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("toolsets_list", Map.of()));
        assertThat(result.isError()).as(McpClients.text(result)).isNotEqualTo(Boolean.TRUE);
        List<Map<String, Object>> rows =
                (List<Map<String, Object>>) ((Map<String, Object>) result.structuredContent()).get("toolsets");
        Map<String, Boolean> out = new java.util.TreeMap<>();
        rows.forEach(r -> out.put((String) r.get("name"), (Boolean) r.get("enabled")));
        return out;
    }
}
