package io.opsmcp.tools.runbooks;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code runbook_search}: full-text search over the runbooks ({@link RunbookIndex}), best first. */
final class RunbookSearchTool implements OpsTool {

    static final ArgSpec<String> QUERY = ArgSpec.string("query")
            .description("Symptoms or error text.")
            .nonEmpty()
            .maxLength(1000)
            .required();
    static final ArgSpec<Integer> LIMIT =
            ArgSpec.integer("limit").description("Most results.").range(1, 20).defaultValue(5);
    static final ArgSpec<String> APPLIES_TO = ArgSpec.string("applies_to")
            .description("Tool or category, e.g. ecs:out_of_memory.")
            .pattern("^[a-z0-9][a-z0-9_:.-]{0,99}$");

    private final RunbookToolset runbooks;
    private final ToolDefinition definition;

    RunbookSearchTool(RunbookToolset runbooks) {
        this.runbooks = runbooks;
        this.definition = ToolSpec.tool("runbook_search")
                .title("Search runbooks")
                .description("Searches the operations runbooks by symptoms or error text; returns id, title, score and "
                        + "a snippet, best first. Read one with runbook_get before acting on it.")
                .args(QUERY, LIMIT, APPLIES_TO)
                .output(outputSchema())
                .annotations(new ToolAnnotations(true, false, true, false))
                .build();
    }

    private static ObjectNode outputSchema() {
        ObjectNode hit = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode hp = hit.putObject("properties");
        hp.set("id", RunbookToolset.property("string", "runbook id"));
        hp.set("title", RunbookToolset.property("string", "title"));
        hp.set("score", RunbookToolset.property("number", "relevance (BM25), comparable within one search only"));
        hp.set("snippet", RunbookToolset.property("string", "the best matching line"));
        hp.set("uri", RunbookToolset.property("string", "resource URI to read the whole runbook"));
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode op = output.putObject("properties");
        op.set("query", RunbookToolset.property("string", "the query"));
        ObjectNode results = RunbookToolset.property("array", "best first");
        results.set("items", hit);
        op.set("results", results);
        output.putArray("required").add("query").add("results");
        return output;
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return RunbookToolset.localRead("runbooks");
    }

    /** The descriptor names the runbook from the arguments alone: nothing is read. */
    @Override
    public boolean describesLocally() {
        return true;
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        String query = QUERY.read(args);
        if (query.isBlank()) {
            throw new ToolException(Kind.INVALID_ARGUMENT, "query: must be a non-empty string");
        }
        List<RunbookIndex.Hit> hits = runbooks.search(query, APPLIES_TO.read(args), LIMIT.read(args));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("query", query);
        ArrayNode results = out.putArray("results");
        StringBuilder text = new StringBuilder();
        if (hits.isEmpty()) {
            text.append("No runbook matches '")
                    .append(query)
                    .append("'. Try other words (the error message, the " + "component) or read runbook://index.\n");
        }
        int rank = 1;
        for (RunbookIndex.Hit h : hits) {
            ObjectNode o = results.addObject();
            o.put("id", h.runbook().id());
            o.put("title", h.runbook().title());
            o.put("score", Math.round(h.score() * 1000) / 1000.0);
            o.put("snippet", h.snippet());
            o.put("uri", h.runbook().uri());
            text.append(rank++)
                    .append(". ")
                    .append(h.runbook().title())
                    .append(" (")
                    .append(h.runbook().id())
                    .append(", score ")
                    .append(String.format(Locale.ROOT, "%.2f", h.score()))
                    .append(")\n   ")
                    .append(h.snippet())
                    .append('\n');
        }
        return ToolResult.ok(text.toString(), out);
    }
}
