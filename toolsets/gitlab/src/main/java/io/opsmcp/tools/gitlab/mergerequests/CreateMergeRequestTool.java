package io.opsmcp.tools.gitlab.mergerequests;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabMutatingTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.client.GitLabApiException;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_create_merge_request(project, source_branch, target_branch, title, description)}. */
public final class CreateMergeRequestTool extends GitLabMutatingTool<CreateMergeRequestTool.NewMergeRequest> {

    private static final ArgSpec<String> SOURCE =
            GitLabArgs.ref("source_branch", "Branch with the changes.").required();
    private static final ArgSpec<String> TARGET =
            GitLabArgs.ref("target_branch", "Branch to merge into.").required();
    private static final ArgSpec<String> TITLE =
            GitLabArgs.text("title", "Title.", MergeRequests.MAX_TITLE).required();
    private static final ArgSpec<String> DESCRIPTION =
            GitLabArgs.text("description", "Markdown.", MergeRequests.MAX_BODY);

    /** Data of a planned merge request. */
    record NewMergeRequest(ProjectRef project, String source, String target, String title, String description)
            implements GitLabMutatingTool.OnProject {}

    public CreateMergeRequestTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_create_merge_request")
                        .title("Open a GitLab merge request")
                        .description("Opens a merge request from an existing branch.")
                        .args(GitLabArgs.PROJECT, SOURCE, TARGET, TITLE, DESCRIPTION, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("summary"),
                                "dry_run",
                                "boolean",
                                "false: the change was made",
                                "summary",
                                "string",
                                "the change, in one line",
                                "merge_request",
                                "object",
                                "iid, title, state, web_url"))
                        .mutating(false)
                        .build());
    }

    @Override
    protected PlannedChange<NewMergeRequest> plan(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String source = SOURCE.read(args);
        String target = TARGET.read(args);
        if (source.equals(target)) {
            throw GitLabArgs.invalid("source_branch", "must differ from target_branch");
        }
        for (String branch : List.of(source, target)) {
            try {
                p.client()
                        .get(
                                p.api("/repository/branches/"
                                        + io.opsmcp.tools.gitlab.client.GitLabClient.segment(branch)),
                                Map.of(),
                                ctx.deadline());
            } catch (GitLabApiException e) {
                if (e.status() == 404) {
                    throw new ToolException(Kind.NOT_FOUND, "branch " + branch + " does not exist in " + p.path());
                }
                throw e;
            }
        }
        NewMergeRequest mr = new NewMergeRequest(
                p, source, target, GitLabArgs.text(TITLE, args), GitLabArgs.text(DESCRIPTION, args));
        ObjectNode after = Json.object();
        after.put("source_branch", source);
        after.put("target_branch", target);
        after.put("title", mr.title());
        after.put("description", mr.description());
        ChangePreview change = new ChangePreview(
                "open merge request " + source + " -> " + target + " in " + p.path() + ": " + mr.title(), null, after);
        return new PlannedChange<>(p.change("gitlab:merge_request", target, null, null, change), mr);
    }

    @Override
    protected ToolResult apply(PlannedChange<NewMergeRequest> plan, ObjectNode args, ToolContext ctx) {
        ProjectRef p = plan.data().project();
        NewMergeRequest mr = plan.data();
        ObjectNode body = Json.object();
        body.put("source_branch", mr.source());
        body.put("target_branch", mr.target());
        body.put("title", mr.title());
        if (mr.description() != null) {
            body.put("description", mr.description());
        }
        JsonNode created = p.client().post(p.api("/merge_requests"), body, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("dry_run", false);
        out.put("summary", plan.change().summary());
        out.set("merge_request", MergeRequests.summary(created));
        return ToolResult.ok(
                "Opened merge request !" + Json.text(created, "iid", "?") + " " + Json.text(created, "web_url", "")
                        + "\n",
                out);
    }
}
