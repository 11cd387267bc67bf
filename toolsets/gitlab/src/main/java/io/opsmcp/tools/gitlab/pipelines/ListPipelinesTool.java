package io.opsmcp.tools.gitlab.pipelines;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.Params;
import io.opsmcp.tools.gitlab.Schemas;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_pipelines(project, ref?, status?, since?, limit)}. */
public final class ListPipelinesTool extends GitLabTool {

    public ListPipelinesTool(GitLabContext gl) {
        super(gl, new ToolDefinition("gitlab_pipelines", "GitLab pipelines",
                "Lists a project's recent pipelines, newest first: id, status, ref, commit, source, times. Filter "
                        + "by `ref` (branch or tag), `status` and `since` (30min, 2h, 3d, or an ISO date/date-time; "
                        + "pipelines updated since then). Use it to find the pipeline that turned a branch red.",
                JsonSchemas.input(JsonSchemas.properties()
                        .<ObjectNode>set("project", Schemas.project())
                        .<ObjectNode>set("ref", JsonSchemas.pattern("Branch or tag.", Params.REF_PATTERN, 255))
                        .<ObjectNode>set("status", JsonSchemas.enumeration("Pipeline status.", PipelineChanges.STATUSES))
                        .<ObjectNode>set("since", JsonSchemas.pattern("Only pipelines updated since then.",
                                Params.SINCE_PATTERN, 40))
                        .<ObjectNode>set("limit", JsonSchemas.integer("Most pipelines to return.", 1, 100, 20))
                        .<ObjectNode>set("instance", Schemas.instance()), "project"),
                Schemas.output("pipelines"), ToolAnnotations.readOnly()));
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:pipeline", Params.ref(args, "ref", false), null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String ref = Params.ref(args, "ref", false);
        String status = Params.oneOf(args, "status", PipelineChanges.STATUSES);
        Instant since = Params.since(args, gl.clock());
        int limit = Params.integer(args, "limit", 1, 100, 20);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("ref", ref);
        query.put("status", status);
        query.put("updated_after", since == null ? null : since.toString());
        query.put("order_by", "id");
        query.put("sort", "desc");
        List<JsonNode> pipelines = p.client().list(p.api("/pipelines"), query, limit, ctx.deadline());
        ObjectNode out = Json.result(p);
        ArrayNode list = out.putArray("pipelines");
        StringBuilder text = new StringBuilder(p.path() + ": " + pipelines.size() + " pipeline(s)"
                + (ref == null ? "" : " on " + ref) + (status == null ? "" : " with status " + status)
                + (since == null ? "" : " since " + since) + "\n");
        for (JsonNode pl : pipelines) {
            list.add(Json.pick(pl, "id", "iid", "status", "ref", "sha", "source", "created_at", "updated_at",
                    "web_url"));
            text.append(String.format("#%-8s %-9s %-24s %s %s%n", Json.text(pl, "id", "?"),
                    Json.text(pl, "status", "?"), Json.text(pl, "ref", "?"), Json.shortSha(Json.text(pl, "sha", null)),
                    Json.text(pl, "created_at", "")));
        }
        return ToolResult.ok(text.toString(), out);
    }
}
