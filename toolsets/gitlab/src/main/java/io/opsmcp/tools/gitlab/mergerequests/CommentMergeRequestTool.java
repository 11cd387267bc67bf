package io.opsmcp.tools.gitlab.mergerequests;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabMutatingTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_comment_merge_request(project, iid, body)}: {@code POST …/merge_requests/:iid/notes}. */
public final class CommentMergeRequestTool extends GitLabMutatingTool<CommentMergeRequestTool.Comment> {

    private static final ArgSpec<Long> IID =
            GitLabArgs.id("iid", "Merge request iid (the number after !).").required();
    private static final ArgSpec<String> BODY =
            GitLabArgs.text("body", "Markdown.", MergeRequests.MAX_BODY).required();

    /** Data of a planned comment. */
    record Comment(ProjectRef project, long iid, String body) implements GitLabMutatingTool.OnProject {}

    public CommentMergeRequestTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_comment_merge_request")
                        .title("Comment on a GitLab merge request")
                        .description("Adds a Markdown comment to a merge request.")
                        .args(GitLabArgs.PROJECT, IID, BODY, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("summary"),
                                "dry_run",
                                "boolean",
                                "false: the change was made",
                                "summary",
                                "string",
                                "the change, in one line",
                                "note",
                                "object",
                                "the comment: id, created_at"))
                        .mutating(false)
                        .build());
    }

    @Override
    protected PlannedChange<Comment> plan(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long iid = GitLabArgs.id(IID, args);
        String body = GitLabArgs.text(BODY, args);
        JsonNode mr = p.client().get(p.api("/merge_requests/" + iid), Map.of(), ctx.deadline());
        ObjectNode after = Json.object();
        after.put("iid", iid);
        after.put("body", body);
        ChangePreview change = new ChangePreview(
                "comment on merge request !" + iid + " (" + Json.text(mr, "title", "") + ") in " + p.path(),
                MergeRequests.summary(mr),
                after);
        return new PlannedChange<>(
                p.change("gitlab:merge_request", Json.text(mr, "target_branch", null), null, null, change),
                new Comment(p, iid, body));
    }

    @Override
    protected ToolResult apply(PlannedChange<Comment> plan, ObjectNode args, ToolContext ctx) {
        ProjectRef p = plan.data().project();
        ObjectNode body = Json.object();
        body.put("body", plan.data().body());
        JsonNode note = p.client().post(p.api("/merge_requests/" + plan.data().iid() + "/notes"), body, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("dry_run", false);
        out.put("summary", plan.change().summary());
        out.set("note", Json.pick(note, "id", "created_at"));
        return ToolResult.ok(
                "Commented on !" + plan.data().iid() + " (note " + Json.text(note, "id", "?") + ")\n", out);
    }
}
