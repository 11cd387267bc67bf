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
 * schema, in bytes), so growth shows in every build log. Regenerate with {@code -Dgolden.update=true}.
 */
class PublishedToolsListTest {

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
            byToolset.forEach((toolset, defs) -> System.out.printf(
                    "tools/list %-12s %3d tools %7d bytes of name+description+inputSchema%n",
                    toolset, defs.size(), GoldenToolList.contextBytes(defs)));
            List<ToolDefinition> all =
                    tools.stream().map(ToolGateway.RegisteredTool::published).toList();
            System.out.printf(
                    "tools/list %-12s %3d tools %7d bytes%n", "total", all.size(), GoldenToolList.contextBytes(all));

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
            GoldenToolList.assertMatches(all, Path.of("src/test/resources/golden/tools-list.json"));
        }
    }
}
