package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test helper: finds a tool by name and calls it the way the gateway does (describe, then execute, with
 * {@code dryRun} read from {@code dry_run}), without schema validation so a tool's own argument checks are tested.
 */
final class Calls {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Calls() {}

    static ToolContext ctx() {
        return ctx(false);
    }

    static ToolContext ctx(boolean dryRun) {
        return new ToolContext(
                new Principal("test", Set.of("sre"), "local"),
                "req-1",
                Instant.now().plus(Duration.ofSeconds(60)),
                null,
                null,
                dryRun,
                null);
    }

    static OpsTool tool(OpsToolset toolset, String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name));
    }

    static ObjectNode args(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    static ToolResult call(OpsToolset toolset, String name, String json) {
        OpsTool tool = tool(toolset, name);
        ObjectNode args = args(json);
        ToolContext ctx = ctx(args.path("dry_run").asBoolean(false));
        tool.describe(args, ctx);
        ToolResult result = tool.execute(args, ctx);
        // every result a test sees must match the tool's published output schema
        assertThat(ToolDefinitionChecks.resultProblems(tool.definition(), result))
                .as(name + " result against its output schema")
                .isEmpty();
        return result;
    }
}
