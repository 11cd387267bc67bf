package io.opsmcp.tools.gitlab.mergerequests;

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

/** {@code gitlab_merge_requests(project, state?)}. */
public final class ListMergeRequestsTool extends GitLabTool {

    public ListMergeRequestsTool(GitLabContext gl) {
        super(gl, new ToolDefinition("gitlab_merge_requests", "GitLab merge requests",
                "Lists a project's merge requests, most recently updated first; `state` opened (default), closed, "
                        + "merged, locked or all.",
                JsonSchemas.input(JsonSchemas.properties()
                        .<ObjectNode>set("project", Schemas.project())
                        .<ObjectNode>set("state", JsonSchemas.enumeration("Merge request state (default opened).",
                                MergeRequests.STATES))
                        .<ObjectNode>set("limit", JsonSchemas.integer("Most merge requests to return.", 1, 100, 20))
                        .<ObjectNode>set("instance", Schemas.instance()), "project"),
                Schemas.output("merge_requests"), ToolAnnotations.readOnly()));
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:merge_request", null, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String state = Params.oneOf(args, "state", MergeRequests.STATES);
        state = state == null ? "opened" : state;
        int limit = Params.integer(args, "limit", 1, 100, 20);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("state", state);
        query.put("order_by", "updated_at");
        query.put("sort", "desc");
        List<JsonNode> mrs = p.client().list(p.api("/merge_requests"), query, limit, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("state", state);
        ArrayNode list = out.putArray("merge_requests");
        StringBuilder text = new StringBuilder(p.path() + ": " + mrs.size() + " " + state + " merge request(s)\n");
        for (JsonNode mr : mrs) {
            list.add(MergeRequests.summary(mr));
            text.append("  !").append(Json.text(mr, "iid", "?")).append(' ').append(Json.text(mr, "title", ""))
                    .append(" [").append(Json.text(mr, "source_branch", "?")).append(" -> ")
                    .append(Json.text(mr, "target_branch", "?")).append(", ").append(Json.text(mr, "state", "?"))
                    .append(", ").append(mr.path("author").path("username").asString("?")).append("]\n");
        }
        return ToolResult.ok(text.toString(), out);
    }
}
