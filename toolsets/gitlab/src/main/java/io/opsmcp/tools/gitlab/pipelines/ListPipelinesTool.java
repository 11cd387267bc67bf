package io.opsmcp.tools.gitlab.pipelines;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_pipelines(project, ref?, status?, since?, limit)}. */
public final class ListPipelinesTool extends GitLabTool {

    private static final ArgSpec<String> REF = GitLabArgs.ref("ref", "Branch or tag.");
    private static final ArgSpec<String> STATUS = ArgSpec.oneOf(
                    "status", PipelineChanges.STATUSES.toArray(String[]::new))
            .description("Pipeline status.");
    private static final ArgSpec<Instant> SINCE = ArgSpec.since("since").description("Updated since.");
    private static final ArgSpec<Integer> LIMIT =
            ArgSpec.integer("limit").range(1, 100).defaultValue(20).description("Most pipelines to return.");

    public ListPipelinesTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_pipelines")
                        .title("GitLab pipelines")
                        .description(
                                "A project's recent pipelines, newest first: id, status, ref, commit, source, times.")
                        .args(GitLabArgs.PROJECT, REF, STATUS, SINCE, LIMIT, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("pipelines"),
                                "pipelines",
                                "array",
                                "newest first: id, status, ref, sha, source, times, web_url"))
                        .readOnly()
                        .build());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:pipeline", REF.read(args), null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String ref = REF.read(args);
        String status = STATUS.read(args);
        Instant since = SINCE.read(args, gl.clock().instant());
        int limit = LIMIT.read(args);
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
            list.add(Json.pick(
                    pl, "id", "iid", "status", "ref", "sha", "source", "created_at", "updated_at", "web_url"));
            text.append(String.format(
                    "#%-8s %-9s %-24s %s %s%n",
                    Json.text(pl, "id", "?"),
                    Json.text(pl, "status", "?"),
                    Json.text(pl, "ref", "?"),
                    Json.shortSha(Json.text(pl, "sha", null)),
                    Json.text(pl, "created_at", "")));
        }
        return ToolResult.ok(text.toString(), out);
    }
}
