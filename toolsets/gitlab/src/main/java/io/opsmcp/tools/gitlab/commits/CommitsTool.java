package io.opsmcp.tools.gitlab.commits;

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

/** {@code gitlab_commits(project, ref, since?)}. */
public final class CommitsTool extends GitLabTool {

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
        super(gl, new ToolDefinition("gitlab_commits", "GitLab commits",
                "Lists commits on a branch, tag or sha, newest first, optionally only those since a time "
                        + "(30min, 2h, 3d, or an ISO date/date-time). Use it to see what changed before a failure.",
                JsonSchemas.input(JsonSchemas.properties()
                        .<ObjectNode>set("project", Schemas.project())
                        .<ObjectNode>set("ref", JsonSchemas.pattern("Branch, tag or commit sha.",
                                Params.REF_PATTERN, 255))
                        .<ObjectNode>set("since", JsonSchemas.pattern("Only commits since then.",
                                Params.SINCE_PATTERN, 40))
                        .<ObjectNode>set("limit", JsonSchemas.integer("Most commits to return.", 1, 100, 20))
                        .<ObjectNode>set("instance", Schemas.instance()), "project", "ref"),
                Schemas.output("commits"), ToolAnnotations.readOnly()));
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:project", Params.ref(args, "ref", true), null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String ref = Params.ref(args, "ref", true);
        Instant since = Params.since(args, gl.clock());
        int limit = Params.integer(args, "limit", 1, 100, 20);
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
