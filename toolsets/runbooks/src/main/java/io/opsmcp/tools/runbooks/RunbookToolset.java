package io.opsmcp.tools.runbooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code runbooks} toolset: the tools {@code runbook_search} and {@code runbook_get}, the resource
 * {@code runbook://index} (every runbook with its tags) and the resource template {@code runbook://{id}} with
 * completion of ids. Content only: it reaches no outside system.
 */
public final class RunbookToolset implements OpsToolset {

    static final String MIME = "text/markdown";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_COMPLETIONS = 100;

    private final Map<String, Runbook> byId = new LinkedHashMap<>();
    private final RunbookIndex index;

    public RunbookToolset(List<Runbook> runbooks) {
        runbooks.forEach(r -> byId.put(r.id(), r));
        this.index = new RunbookIndex(runbooks);
    }

    @Override
    public String name() {
        return RunbookToolsetProvider.NAME;
    }

    @Override
    public String description() {
        return RunbookToolsetProvider.DESCRIPTION;
    }

    /** The runbooks, in load order. */
    public List<Runbook> runbooks() {
        return List.copyOf(byId.values());
    }

    /**
     * Full-text search (see {@link RunbookIndex}).
     *
     * @return hits, best first
     */
    public List<RunbookIndex.Hit> search(String query, String appliesTo, int limit) {
        return index.search(query, appliesTo, limit);
    }

    @Override
    public List<OpsTool> tools() {
        return List.of(new SearchTool(), new GetTool());
    }

    @Override
    public List<OpsResource> resources() {
        return List.of(new IndexResource());
    }

    @Override
    public List<OpsResourceTemplate> resourceTemplates() {
        return List.of(new RunbookTemplate());
    }

    @Override
    public List<String> complete(String argument, String prefix, Map<String, String> context) {
        return "runbook".equals(argument) || "runbook_id".equals(argument) ? completeIds(prefix) : List.of();
    }

    /** A runbook id names a local runbook (readable by any known principal in the shipped policy). */
    @Override
    public ActionDescriptor describeCompletion(String argument, String value, Map<String, String> context) {
        return "runbook".equals(argument) || "runbook_id".equals(argument) ? localRead(value) : null;
    }

    /** Runbook ids that start with the prefix, then those that contain it. */
    List<String> completeIds(String prefix) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
        List<String> starts = new ArrayList<>();
        List<String> contains = new ArrayList<>();
        for (String id : byId.keySet()) {
            if (id.startsWith(p)) {
                starts.add(id);
            } else if (id.contains(p)) {
                contains.add(id);
            }
        }
        starts.addAll(contains);
        return starts.size() > MAX_COMPLETIONS ? starts.subList(0, MAX_COMPLETIONS) : starts;
    }

    Runbook require(String id) {
        Runbook r = byId.get(id);
        if (r == null) {
            List<String> close = completeIds(id == null ? "" : id.length() > 4 ? id.substring(0, 4) : id);
            throw new ToolException(Kind.NOT_FOUND, "no runbook with id '" + id + "'"
                    + (close.isEmpty() ? "; read runbook://index or use runbook_search"
                    : "; similar ids: " + String.join(", ", close.subList(0, Math.min(5, close.size())))));
        }
        return r;
    }

    @Override
    public void close() {
        index.close();
    }

    private static ActionDescriptor localRead(String name) {
        return ActionDescriptor.read("local", "runbook", null, name, Map.of());
    }

    private static ObjectNode property(String type, String description) {
        ObjectNode p = JSON.objectNode();
        p.put("type", type);
        p.put("description", description);
        return p;
    }

    private final class SearchTool implements OpsTool {

        @Override
        public ToolDefinition definition() {
            ObjectNode input = JSON.objectNode();
            input.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            input.put("type", "object");
            ObjectNode props = input.putObject("properties");
            ObjectNode query = property("string",
                    "Symptoms or error text, e.g. 'container killed exit code 137' or 'ModuleNotFoundError in CI'.");
            query.put("minLength", 1).put("maxLength", 1000);
            props.set("query", query);
            ObjectNode limit = property("integer", "Maximum number of results.");
            limit.put("minimum", 1).put("maximum", 20).put("default", 5);
            props.set("limit", limit);
            ObjectNode applies = property("string", "Only runbooks that apply to this tool or finding category, e.g. "
                    + "gitlab:missing-python-package or ecs:out_of_memory.");
            applies.put("pattern", "^[a-z0-9][a-z0-9_:.-]{0,99}$");
            props.set("applies_to", applies);
            input.putArray("required").add("query");
            input.put("additionalProperties", false);
            ObjectNode hit = JSON.objectNode().put("type", "object");
            ObjectNode hp = hit.putObject("properties");
            hp.set("id", property("string", "runbook id"));
            hp.set("title", property("string", "title"));
            hp.set("score", property("number", "relevance (BM25), comparable within one search only"));
            hp.set("snippet", property("string", "the best matching line"));
            hp.set("uri", property("string", "resource URI to read the whole runbook"));
            ObjectNode output = JSON.objectNode().put("type", "object");
            ObjectNode op = output.putObject("properties");
            op.set("query", property("string", "the query"));
            ObjectNode results = property("array", "best first");
            results.set("items", hit);
            op.set("results", results);
            output.putArray("required").add("query").add("results");
            return new ToolDefinition("runbook_search", "Search runbooks",
                    "Full-text search over the operations runbooks (ECS failures, CI/CD failure classes, Linux host "
                            + "problems, IT requests) with relevance ranking. Give symptoms or the error text; returns "
                            + "id, title, score and a snippet per runbook, best first. Read one with runbook_get or the "
                            + "resource runbook://{id} before acting on it.",
                    input, output, new ToolAnnotations(true, false, true, false));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return localRead("runbooks");
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            String query = text(args, "query", true);
            if (query.length() > 1000) {
                throw new ToolException(Kind.INVALID_ARGUMENT, "query: must be at most 1000 characters");
            }
            String appliesTo = text(args, "applies_to", false);
            JsonNode l = args == null ? null : args.get("limit");
            int limit = 5;
            if (l != null && !l.isNull()) {
                if (!l.isIntegralNumber() || l.intValue() < 1 || l.intValue() > 20) {
                    throw new ToolException(Kind.INVALID_ARGUMENT, "limit: must be an integer 1..20");
                }
                limit = l.intValue();
            }
            List<RunbookIndex.Hit> hits = index.search(query, appliesTo, limit);
            ObjectNode out = JSON.objectNode();
            out.put("query", query);
            ArrayNode results = out.putArray("results");
            StringBuilder text = new StringBuilder();
            if (hits.isEmpty()) {
                text.append("No runbook matches '").append(query).append("'. Try other words (the error message, the "
                        + "component) or read runbook://index.\n");
            }
            int rank = 1;
            for (RunbookIndex.Hit h : hits) {
                ObjectNode o = results.addObject();
                o.put("id", h.runbook().id());
                o.put("title", h.runbook().title());
                o.put("score", Math.round(h.score() * 1000) / 1000.0);
                o.put("snippet", h.snippet());
                o.put("uri", h.runbook().uri());
                text.append(rank++).append(". ").append(h.runbook().title()).append(" (").append(h.runbook().id())
                        .append(", score ").append(String.format(Locale.ROOT, "%.2f", h.score())).append(")\n   ")
                        .append(h.snippet()).append('\n');
            }
            return ToolResult.ok(text.toString(), out);
        }
    }

    private final class GetTool implements OpsTool {

        @Override
        public ToolDefinition definition() {
            ObjectNode input = JSON.objectNode();
            input.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            input.put("type", "object");
            ObjectNode id = property("string", "Runbook id from runbook_search or runbook://index.");
            id.put("pattern", Runbook.ID_PATTERN);
            input.putObject("properties").set("id", id);
            input.putArray("required").add("id");
            input.put("additionalProperties", false);
            return new ToolDefinition("runbook_get", "Read a runbook",
                    "Returns one runbook as Markdown (the same text as the resource runbook://{id}), for clients that "
                            + "do not read resources.",
                    input, null, new ToolAnnotations(true, false, true, false));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return localRead(text(args, "id", true));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            return ToolResult.ok(require(text(args, "id", true)).markdown());
        }
    }

    private static String text(ObjectNode args, String field, boolean required) {
        JsonNode node = args == null ? null : args.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new ToolException(Kind.INVALID_ARGUMENT, field + ": is required");
            }
            return null;
        }
        if (!node.isString() || node.asString().isBlank()) {
            throw new ToolException(Kind.INVALID_ARGUMENT, field + ": must be a non-empty string");
        }
        return node.asString();
    }

    private final class IndexResource implements OpsResource {
        @Override
        public Definition definition() {
            return new Definition("runbook://index", "runbook-index", "Runbook index",
                    "Every runbook: id, title, tags and what it applies to. Read one with runbook://{id}.", MIME);
        }

        @Override
        public ActionDescriptor reveals() {
            return localRead("index");
        }

        @Override
        public ResourceContent read(Principal principal) {
            StringBuilder sb = new StringBuilder("# Runbooks\n\n| id | title | tags | applies to |\n|---|---|---|---|\n");
            for (Runbook r : byId.values()) {
                sb.append("| [").append(r.id()).append("](").append(r.uri()).append(") | ").append(r.title())
                        .append(" | ").append(String.join(", ", r.tags())).append(" | ")
                        .append(String.join(", ", r.appliesTo())).append(" |\n");
            }
            return new ResourceContent("runbook://index", MIME, sb.toString());
        }
    }

    private final class RunbookTemplate implements OpsResourceTemplate {
        @Override
        public Definition definition() {
            return new Definition("runbook://{id}", "runbook", "Runbook",
                    "One operations runbook as Markdown: symptoms, diagnosis steps with the ops-mcp tools to use, "
                            + "fixes and how to verify them.", MIME);
        }

        @Override
        public ActionDescriptor reveals(String uri, Map<String, String> variables) {
            return localRead(variables.get("id"));
        }

        @Override
        public ResourceContent read(String uri, Map<String, String> variables, Principal principal) {
            Runbook r = require(variables.get("id"));
            return new ResourceContent(uri, MIME, r.markdown());
        }

        @Override
        public List<String> complete(String variable, String prefix) {
            return "id".equals(variable) ? completeIds(prefix) : List.of();
        }
    }
}
