package io.opsmcp.tools.runbooks;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import tools.jackson.databind.node.ObjectNode;

/** {@code runbook_get}: one runbook as Markdown, for clients that do not read resources. */
final class RunbookGetTool implements OpsTool {

    static final ArgSpec<String> ID = ArgSpec.string("id")
            .description("Runbook id from runbook_search or runbook://index.")
            .pattern(Runbook.ID_PATTERN)
            .required();

    private final RunbookToolset runbooks;
    private final ToolDefinition definition = ToolSpec.tool("runbook_get")
            .title("Read a runbook")
            .description("Returns one runbook as Markdown (the same text as the resource runbook://{id}), for clients "
                    + "that do not read resources.")
            .args(ID)
            .annotations(new ToolAnnotations(true, false, true, false))
            .build();

    RunbookGetTool(RunbookToolset runbooks) {
        this.runbooks = runbooks;
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return RunbookToolset.localRead(ID.read(args));
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        return ToolResult.ok(runbooks.require(ID.read(args)).markdown());
    }
}
