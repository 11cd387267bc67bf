package io.opsmcp.tools.deployments;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Runs a tool as the server's gateway does: describe, then execute. */
final class Calls {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Calls() {}

    static ToolContext context() {
        return new ToolContext(
                new Principal("test", null, "local"), "req-1", Instant.now().plusSeconds(60), null, null);
    }

    static OpsTool tool(OpsToolset toolset, String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static ToolResult call(OpsToolset toolset, String name, String argsJson) {
        OpsTool tool = tool(toolset, name);
        ObjectNode args = (ObjectNode) JSON.readTree(argsJson);
        ToolContext ctx = context();
        tool.describe(args, ctx);
        ToolResult result = tool.execute(args, ctx);
        // every result a test sees must match the tool's published output schema
        List<String> problems = ToolDefinitionChecks.resultProblems(tool.definition(), result);
        if (!problems.isEmpty()) {
            throw new AssertionError(name + " result against its output schema:\n- " + String.join("\n- ", problems));
        }
        return result;
    }
}
