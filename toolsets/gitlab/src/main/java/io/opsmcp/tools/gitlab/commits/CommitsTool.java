package io.opsmcp.tools.gitlab.commits;

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

/** {@code gitlab_commits(project, ref, since?)}. */
public final class CommitsTool extends GitLabTool {

    private static final ArgSpec<String> REF =
            GitLabArgs.ref("ref", "Branch, tag or sha.").required();
    private static final ArgSpec<Instant> SINCE = ArgSpec.since("since").description("Commits since.");
    private static final ArgSpec<Integer> LIMIT =
            ArgSpec.integer("limit").range(1, 100).defaultValue(20).description("Most commits to return.");

    /** The members of a commit the results show. */
    static ObjectNode commit(JsonNode c) {
        return Json.pick(c, "id", "short_id", "title", "author_name", "authored_date", "committed_date", "web_url");
    }

    /** One text line per commit: short sha, date, author, title. */
    static String commitLine(JsonNode c) {
        return "  " + Json.text(c, "short_id", Json.shortSha(Json.text(c, "id", null))) + " "
                + Json.text(c, "committed_date", "") + " " + Json.text(c, "author_name", "") + ": "
                + Json.text(c, "title", "") + "\n";
    }

    public CommitsTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_commits")
                        .title("GitLab commits")
                        .description("Commits on a branch, tag or sha, newest first.")
                        .args(GitLabArgs.PROJECT, REF, SINCE, LIMIT, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("commits"),
                                "ref",
                                "string",
                                "the ref",
                                "commits",
                                "array",
                                "newest first: id, short_id, title, author_name, created_at"))
                        .readOnly()
                        .build());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:project", REF.read(args), null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String ref = REF.read(args);
        Instant since = SINCE.read(args, gl.clock().instant());
        int limit = LIMIT.read(args);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("ref_name", ref);
        query.put("since", since == null ? null : since.toString());
        List<JsonNode> commits = p.client().list(p.api("/repository/commits"), query, limit, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("ref", ref);
        ArrayNode list = out.putArray("commits");
        StringBuilder text = new StringBuilder(p.path() + " " + ref + ": " + commits.size() + " commit(s)"
                + (since == null ? "" : " since " + since) + "\n");
        for (JsonNode c : commits) {
            list.add(commit(c));
            text.append(commitLine(c));
        }
        return ToolResult.ok(text.toString(), out);
    }
}
