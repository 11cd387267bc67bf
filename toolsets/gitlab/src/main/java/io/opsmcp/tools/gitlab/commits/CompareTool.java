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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_compare(project, from, to)}. */
public final class CompareTool extends GitLabTool {

    private static final ArgSpec<String> FROM =
            GitLabArgs.ref("from", "Base ref or sha.").required();
    private static final ArgSpec<String> TO =
            GitLabArgs.ref("to", "Target ref or sha.").required();

    private static final int MAX_COMPARE_FILES = 200;

    public CompareTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_compare")
                        .title("GitLab compare")
                        .description("Commits in `to` not in `from` and the changed files with line counts.")
                        .args(GitLabArgs.PROJECT, FROM, TO, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("commits", "files"),
                                "from",
                                "string",
                                "base ref",
                                "to",
                                "string",
                                "target ref",
                                "compare_same_ref",
                                "boolean",
                                "from and to are the same",
                                "compare_timeout",
                                "boolean",
                                "GitLab gave up comparing",
                                "web_url",
                                "string",
                                "compare URL",
                                "commits",
                                "array",
                                "commits in to not in from",
                                "files",
                                "array",
                                "changed files with added/removed lines",
                                "files_truncated",
                                "boolean",
                                "more files changed than listed"))
                        .readOnly()
                        .build());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:project", TO.read(args), null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String from = FROM.read(args);
        String to = TO.read(args);
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
        text.append(cs.size())
                .append(" commit(s), ")
                .append(diffs.size())
                .append(" file(s) changed")
                .append(compare.path("compare_timeout").asBoolean(false) ? " (GitLab timed out; list incomplete)" : "")
                .append('\n');
        for (JsonNode c : cs) {
            commits.add(CommitsTool.commit(c));
            text.append(CommitsTool.commitLine(c));
        }
        ArrayNode files = out.putArray("files");
        int n = 0;
        for (JsonNode d : diffs) {
            if (n++ >= MAX_COMPARE_FILES) {
                out.put("files_truncated", true);
                text.append("  … ").append(diffs.size() - MAX_COMPARE_FILES).append(" more file(s)\n");
                break;
            }
            FileDiff f = FileDiff.of(d);
            files.add(f.toJson());
            text.append(f.line());
        }
        return ToolResult.ok(text.toString(), out);
    }
}
