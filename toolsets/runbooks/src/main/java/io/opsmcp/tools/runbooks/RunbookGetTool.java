package io.opsmcp.tools.runbooks;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code runbook_get}: one runbook as Markdown, for clients that do not read resources. */
final class RunbookGetTool implements OpsTool {

    static final ArgSpec<String> ID = ArgSpec.string("id")
            .description("Id from runbook_search.")
            .pattern(Runbook.ID_PATTERN)
            .required();

    private final RunbookToolset runbooks;
    private final ToolDefinition definition = ToolSpec.tool("runbook_get")
            .title("Read a runbook")
            .description("One runbook as Markdown (resource runbook://{id}).")
            .args(ID)
            .output(outputSchema())
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

    /** The descriptor names the runbook from the arguments alone: nothing is read. */
    @Override
    public boolean describesLocally() {
        return true;
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        Runbook r = runbooks.require(ID.read(args));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", r.id());
        out.put("uri", r.uri());
        out.put("title", r.title());
        out.put("markdown", r.markdown());
        return ToolResult.ok(r.markdown(), out);
    }

    /** {@code {id, uri, title, markdown}}: the runbook as the resource serves it, and what finds it again. */
    private static ObjectNode outputSchema() {
        ObjectNode p = JsonSchemas.properties();
        p.set("id", JsonSchemas.type("string", "runbook id"));
        p.set("uri", JsonSchemas.type("string", "runbook://{id}"));
        p.set("title", JsonSchemas.type("string", "title"));
        p.set("markdown", JsonSchemas.type("string", "metadata and body, as the resource serves it"));
        return JsonSchemas.output(p, "id", "uri", "title", "markdown");
    }
}
