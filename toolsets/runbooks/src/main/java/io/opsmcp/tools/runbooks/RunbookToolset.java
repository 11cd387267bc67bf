package io.opsmcp.tools.runbooks;

import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.Deferred;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    /** Built after the server's first answer or on the first search: Lucene is ~800 classes to load. */
    private final Deferred<RunbookIndex> index;

    public RunbookToolset(List<Runbook> runbooks) {
        runbooks.forEach(r -> byId.put(r.id(), r));
        List<Runbook> indexed = List.copyOf(runbooks);
        this.index = new Deferred<>("runbook-index", () -> new RunbookIndex(indexed));
    }

    @Override
    public void startInBackground() {
        index.start();
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
        return index.get().search(query, appliesTo, limit);
    }

    @Override
    public List<OpsTool> tools() {
        return List.of(new RunbookSearchTool(this), new RunbookGetTool(this));
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
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "no runbook with id '" + id + "'"
                            + (close.isEmpty()
                                    ? "; read runbook://index or use runbook_search"
                                    : "; similar ids: "
                                            + String.join(", ", close.subList(0, Math.min(5, close.size())))));
        }
        return r;
    }

    @Override
    public void close() {
        try {
            index.close();
        } catch (Exception e) {
            throw new IllegalStateException("runbook index: " + e.getMessage(), e);
        }
    }

    /** A read of a local runbook (or the index): what every runbook tool, resource and completion reveals. */
    static ActionDescriptor localRead(String name) {
        return ActionDescriptor.read("local", "runbook", null, name, Map.of());
    }

    static ObjectNode property(String type, String description) {
        ObjectNode p = JSON.objectNode();
        p.put("type", type);
        p.put("description", description);
        return p;
    }

    private final class IndexResource implements OpsResource {
        @Override
        public Definition definition() {
            return new Definition(
                    "runbook://index",
                    "runbook-index",
                    "Runbook index",
                    "Every runbook: id, title, tags and what it applies to. Read one with runbook://{id}.",
                    MIME);
        }

        @Override
        public ActionDescriptor reveals() {
            return localRead("index");
        }

        @Override
        public ResourceContent read(Principal principal) {
            StringBuilder sb =
                    new StringBuilder("# Runbooks\n\n| id | title | tags | applies to |\n|---|---|---|---|\n");
            for (Runbook r : byId.values()) {
                sb.append("| [")
                        .append(r.id())
                        .append("](")
                        .append(r.uri())
                        .append(") | ")
                        .append(r.title())
                        .append(" | ")
                        .append(String.join(", ", r.tags()))
                        .append(" | ")
                        .append(String.join(", ", r.appliesTo()))
                        .append(" |\n");
            }
            return new ResourceContent("runbook://index", MIME, sb.toString());
        }
    }

    private final class RunbookTemplate implements OpsResourceTemplate {
        @Override
        public Definition definition() {
            return new Definition(
                    "runbook://{id}",
                    "runbook",
                    "Runbook",
                    "One operations runbook as Markdown: symptoms, diagnosis steps with the ops-mcp tools to use, "
                            + "fixes and how to verify them.",
                    MIME);
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
