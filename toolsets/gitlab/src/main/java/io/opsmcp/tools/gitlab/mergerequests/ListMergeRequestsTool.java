package io.opsmcp.tools.gitlab.mergerequests;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_merge_requests(project, state?)}. */
public final class ListMergeRequestsTool extends GitLabTool {

    private static final ArgSpec<String> STATE =
            ArgSpec.oneOf("state", MergeRequests.STATES.toArray(String[]::new)).description("Default: opened.");
    private static final ArgSpec<Integer> LIMIT =
            ArgSpec.integer("limit").range(1, 100).defaultValue(20).description("Most merge requests to return.");

    public ListMergeRequestsTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_merge_requests")
                        .title("GitLab merge requests")
                        .description("A project's merge requests, most recently updated first.")
                        .args(GitLabArgs.PROJECT, STATE, LIMIT, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("merge_requests"),
                                "state",
                                "string",
                                "the state listed",
                                "merge_requests",
                                "array",
                                "most recently updated first"))
                        .readOnly()
                        .build());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:merge_request", null, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String state = STATE.read(args);
        state = state == null ? "opened" : state;
        int limit = LIMIT.read(args);
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
            text.append("  !")
                    .append(Json.text(mr, "iid", "?"))
                    .append(' ')
                    .append(Json.text(mr, "title", ""))
                    .append(" [")
                    .append(Json.text(mr, "source_branch", "?"))
                    .append(" -> ")
                    .append(Json.text(mr, "target_branch", "?"))
                    .append(", ")
                    .append(Json.text(mr, "state", "?"))
                    .append(", ")
                    .append(mr.path("author").path("username").asString("?"))
                    .append("]\n");
        }
        return ToolResult.ok(text.toString(), out);
    }
}
