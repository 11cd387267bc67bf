package io.opsmcp.tools.gitlab.mergerequests;

import java.util.Map;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.MutatingTool;
import io.opsmcp.tools.gitlab.Params;
import io.opsmcp.tools.gitlab.Schemas;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_comment_merge_request(project, iid, body)}: {@code POST …/merge_requests/:iid/notes}. */
public final class CommentMergeRequestTool extends MutatingTool<CommentMergeRequestTool.Comment> {

    /** Data of a planned comment. */
    record Comment(long iid, String body) {
    }

    public CommentMergeRequestTool(GitLabContext gl) {
        super(gl, new ToolDefinition("gitlab_comment_merge_request", "Comment on a GitLab merge request",
                "Adds a comment (Markdown) to a merge request. With dry_run=true only shows the comment.",
                JsonSchemas.input(JsonSchemas.properties()
                        .<ObjectNode>set("project", Schemas.project())
                        .<ObjectNode>set("iid", Schemas.id("Merge request iid (the number after !)."))
                        .<ObjectNode>set("body", JsonSchemas.nonEmptyText("Comment text (Markdown).", MergeRequests.MAX_BODY))
                        .<ObjectNode>set("instance", Schemas.instance())
                        .<ObjectNode>set("dry_run", Schemas.dryRun()), "project", "iid", "body"),
                Schemas.output("summary"), ToolAnnotations.mutating(false)));
    }

    @Override
    protected Plan<Comment> plan(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long iid = Params.id(args, "iid");
        String body = Params.text(args, "body", MergeRequests.MAX_BODY, true);
        JsonNode mr = p.client().get(p.api("/merge_requests/" + iid), Map.of(), ctx.deadline());
        ObjectNode after = Json.object();
        after.put("iid", iid);
        after.put("body", body);
        ChangePreview change = new ChangePreview("comment on merge request !" + iid + " ("
                + Json.text(mr, "title", "") + ") in " + p.path(), MergeRequests.summary(mr), after);
        return new Plan<>(p, p.change("gitlab:merge_request", Json.text(mr, "target_branch", null), null, null,
                change), new Comment(iid, body));
    }

    @Override
    protected ToolResult apply(Plan<Comment> plan, ObjectNode args, ToolContext ctx) {
        ProjectRef p = plan.project();
        ObjectNode body = Json.object();
        body.put("body", plan.data().body());
        JsonNode note = p.client().post(p.api("/merge_requests/" + plan.data().iid() + "/notes"), body,
                ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("dry_run", false);
        out.put("summary", plan.change().summary());
        out.set("note", Json.pick(note, "id", "created_at"));
        return ToolResult.ok("Commented on !" + plan.data().iid() + " (note " + Json.text(note, "id", "?") + ")\n",
                out);
    }
}
