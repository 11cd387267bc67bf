package io.opsmcp.tools.gitlab.tools;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Commit tools (GitLab REST v4 Commits and Repositories APIs): {@code gitlab_commits}
 * ({@code GET /projects/:id/repository/commits}) and {@code gitlab_compare} ({@code GET …/repository/compare}).
 */
final class CommitTools {

    private static final int MAX_COMPARE_FILES = 200;

    private CommitTools() {
    }

    static List<OpsTool> all(GitLabContext gl) {
        return List.of(new Commits(gl), new Compare(gl));
    }

    private static ObjectNode commit(JsonNode c) {
        return Json.pick(c, "id", "short_id", "title", "author_name", "authored_date", "committed_date", "web_url");
    }

    private static String commitLine(JsonNode c) {
        return "  " + Json.text(c, "short_id", Json.shortSha(Json.text(c, "id", null))) + " "
                + Json.text(c, "committed_date", "") + " " + Json.text(c, "author_name", "") + ": "
                + Json.text(c, "title", "") + "\n";
    }

    /** {@code gitlab_commits(project, ref, since?)}. */
    static final class Commits extends GitLabTool {

        Commits(GitLabContext gl) {
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

    /** {@code gitlab_compare(project, from, to)}. */
    static final class Compare extends GitLabTool {

        Compare(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_compare", "GitLab compare",
                    "Compares two refs (branches, tags or shas): the commits in `to` that are not in `from`, and the "
                            + "changed files with added/removed line counts. Use it to see what a failing pipeline's "
                            + "commit changed since the last green one.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("from", JsonSchemas.pattern("Base ref or sha.", Params.REF_PATTERN, 255))
                            .<ObjectNode>set("to", JsonSchemas.pattern("Target ref or sha.", Params.REF_PATTERN, 255))
                            .<ObjectNode>set("instance", Schemas.instance()), "project", "from", "to"),
                    Schemas.output("commits", "files"), ToolAnnotations.readOnly()));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return project(args, ctx).read("gitlab:project", Params.ref(args, "to", true), null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            String from = Params.ref(args, "from", true);
            String to = Params.ref(args, "to", true);
            Map<String, String> query = new LinkedHashMap<>();
            query.put("from", from);
            query.put("to", to);
            JsonNode compare = p.client().get(p.api("/repository/compare"), query, ctx.deadline());
            ObjectNode out = Json.result(p);
            out.put("from", from);
            out.put("to", to);
            out.put("compare_same_ref", compare.path("compare_same_ref").asBoolean(false));
            out.put("compare_timeout", compare.path("compare_timeout").asBoolean(false));
            out.set("web_url", compare.get("web_url"));
            ArrayNode commits = out.putArray("commits");
            StringBuilder text = new StringBuilder(p.path() + " " + from + "..." + to + ": ");
            JsonNode cs = compare.path("commits");
            JsonNode diffs = compare.path("diffs");
            text.append(cs.size()).append(" commit(s), ").append(diffs.size()).append(" file(s) changed")
                    .append(compare.path("compare_timeout").asBoolean(false) ? " (GitLab timed out; list incomplete)" : "")
                    .append('\n');
            for (JsonNode c : cs) {
                commits.add(commit(c));
                text.append(commitLine(c));
            }
            ArrayNode files = out.putArray("files");
            int n = 0;
            for (JsonNode d : diffs) {
                if (n++ >= MAX_COMPARE_FILES) {
                    out.put("files_truncated", true);
                    text.append("  … ").append(diffs.size() - MAX_COMPARE_FILES).append(" more file(s)\n");
                    break;
                }
                ObjectNode s = Diffs.summary(d);
                files.add(s);
                text.append(Diffs.line(s));
            }
            return ToolResult.ok(text.toString(), out);
        }
    }
}
