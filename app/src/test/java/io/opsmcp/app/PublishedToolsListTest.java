package io.opsmcp.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.toolkit.testing.GoldenToolList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client of the shipped jar is offered: every tool of the default toolsets as the gateway publishes it (the
 * guard's {@code approval_id} and {@code break_glass_reason} on every mutating tool), compared with
 * {@code golden/tools-list.json}. The toolsets' own golden files cover each toolset; this one covers what the
 * gateway adds and which toolsets ship. It also prints what the model reads per toolset (name, description, input
 * schema as compact JSON: bytes and ≈ tokens at 4 bytes a token), for the whole list and for the read-only view
 * (the tools with {@code readOnlyHint}), and fails when the default list outgrows {@value #DEFAULT_BUDGET_BYTES} bytes
 * or the read-only view is not smaller, so growth fails the build instead of every client's context. Regenerate the
 * golden file with {@code -Dgolden.update=true}.
 */
class PublishedToolsListTest {

    /**
     * What the model may read of the default toolsets' tools/list on every turn: 40 KiB, about 10k tokens (32 KiB until
     * issue 17 added the four CloudWatch reads, ≈ 4.4 KiB; clients that need less use tools.include / discovery).
     */
    static final int DEFAULT_BUDGET_BYTES = 40 * 1024;

    @Test
    void theDefaultToolsetsPublishTheGoldenToolsList(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("ops-mcp.yaml");
        Files.writeString(config, "identity: {id: alice, roles: [sre]}\n");
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(
                        config,
                        new ConfigLoader.Overrides(
                                "http",
                                "127.0.0.1",
                                0,
                                List.of("hosts", "aws", "gitlab", "deployments"),
                                true,
                                "warn",
                                dir.resolve("data"))))) {
            List<ToolGateway.RegisteredTool> tools = runtime.gateway().tools();
            Map<String, List<ToolDefinition>> byToolset = tools.stream()
                    .collect(Collectors.groupingBy(
                            ToolGateway.RegisteredTool::toolset,
                            TreeMap::new,
                            Collectors.mapping(ToolGateway.RegisteredTool::published, Collectors.toList())));
            List<ToolDefinition> all =
                    tools.stream().map(ToolGateway.RegisteredTool::published).toList();
            List<ToolDefinition> readOnly =
                    all.stream().filter(ToolDefinition::readOnly).toList();
            System.out.println("tools/list: what the model reads (name + description + inputSchema, compact JSON);"
                    + " tokens ≈ bytes / 4");
            System.out.printf(
                    "| %-12s | %5s | %7s | %7s | %9s | %7s | %7s |%n",
                    "toolset", "tools", "bytes", "tokens", "read-only", "bytes", "tokens");
            byToolset.forEach((toolset, defs) -> row(toolset, defs));
            row("total", all);
            int total = GoldenToolList.contextBytes(all);
            int readOnlyTotal = GoldenToolList.contextBytes(readOnly);
            GoldenToolList.assertMatches(all, Path.of("src/test/resources/golden/tools-list.json"));
            assertThat(total)
                    .as(
                            "bytes of name+description+inputSchema of the default toolsets (budget %d)",
                            DEFAULT_BUDGET_BYTES)
                    .isLessThanOrEqualTo(DEFAULT_BUDGET_BYTES);
            assertThat(readOnlyTotal).as("the read-only view is smaller").isLessThan(total);

            assertThat(byToolset).containsKeys("hosts", "aws", "gitlab", "deployments");
            for (ToolGateway.RegisteredTool t : tools) {
                // the guard's arguments exist exactly on the tools that change something (approval_status has an
                // approval_id of its own, the id it looks up)
                ToolDefinition d = t.published();
                boolean breakGlass =
                        d.inputSchema().at("/properties/break_glass_reason").isObject();
                assertThat(breakGlass).as(d.name()).isEqualTo(!d.readOnly());
                if (!d.readOnly()) {
                    assertThat(d.inputSchema().at("/properties/approval_id").isObject())
                            .as(d.name())
                            .isTrue();
                }
            }
        }
    }

    /** One line of the size table: the toolset's tools, then only its read-only ones. */
    private static void row(String toolset, List<ToolDefinition> defs) {
        List<ToolDefinition> readOnly =
                defs.stream().filter(ToolDefinition::readOnly).toList();
        int bytes = GoldenToolList.contextBytes(defs);
        int readOnlyBytes = GoldenToolList.contextBytes(readOnly);
        System.out.printf(
                "| %-12s | %5d | %7d | %7d | %9d | %7d | %7d |%n",
                toolset, defs.size(), bytes, bytes / 4, readOnly.size(), readOnlyBytes, readOnlyBytes / 4);
    }
}
