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
import io.opsmcp.tools.gitlab.commits.FileDiff;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_merge_request(project, iid)}: the MR, its changes summary and pipeline status. */
public final class MergeRequestTool extends GitLabTool {

    private static final ArgSpec<Long> IID =
            GitLabArgs.id("iid", "Merge request iid (the number after !).").required();

    private static final int MAX_FILES = 300;

    public MergeRequestTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_merge_request")
                        .title("GitLab merge request")
                        .description(
                                "One merge request by iid: state, branches, author, merge status, latest pipeline, changed "
                                        + "files.")
                        .args(GitLabArgs.PROJECT, IID, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("merge_request", "changes"),
                                "merge_request",
                                "object",
                                "iid, title, state, branches, author, merge status, web_url",
                                "pipeline",
                                "object",
                                "its latest pipeline: id, status",
                                "changes",
                                "object",
                                "changed files with added/removed lines"))
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
        long iid = GitLabArgs.id(IID, args);
        JsonNode mr = p.client().get(p.api("/merge_requests/" + iid), Map.of(), ctx.deadline());
        List<JsonNode> diffs =
                p.client().list(p.api("/merge_requests/" + iid + "/diffs"), Map.of(), MAX_FILES, ctx.deadline());
        ObjectNode out = Json.result(p);
        ObjectNode m = MergeRequests.summary(mr);
        m.put("description", Json.text(mr, "description", null));
        out.set("merge_request", m);
        JsonNode pipeline = mr.hasNonNull("head_pipeline") ? mr.get("head_pipeline") : mr.get("pipeline");
        out.set(
                "pipeline",
                pipeline == null || pipeline.isNull()
                        ? null
                        : Json.pick(pipeline, "id", "status", "ref", "sha", "web_url"));
        ObjectNode changes = out.putObject("changes");
        ArrayNode files = changes.putArray("files");
        int additions = 0;
        int deletions = 0;
        StringBuilder fileText = new StringBuilder();
        for (JsonNode d : diffs) {
            FileDiff f = FileDiff.of(d);
            additions += f.additions();
            deletions += f.deletions();
            files.add(f.toJson());
            fileText.append(f.line());
        }
        changes.put("count", diffs.size());
        changes.put("additions", additions);
        changes.put("deletions", deletions);
        changes.put("truncated", diffs.size() >= MAX_FILES);
        String text = "!" + iid + " " + Json.text(mr, "title", "") + "\n"
                + "state: " + Json.text(mr, "state", "?") + ", " + Json.text(mr, "source_branch", "?") + " -> "
                + Json.text(mr, "target_branch", "?") + ", author "
                + mr.path("author").path("username").asString("?")
                + ", merge status " + Json.text(mr, "detailed_merge_status", "?") + "\n"
                + "pipeline: "
                + (pipeline == null || pipeline.isNull()
                        ? "none"
                        : "#" + Json.text(pipeline, "id", "?") + " " + Json.text(pipeline, "status", "?"))
                + "\n"
                + "changes: " + diffs.size() + " file(s), +" + additions + " -" + deletions + "\n" + fileText
                + Json.text(mr, "web_url", "") + "\n";
        return ToolResult.ok(text, out);
    }
}
