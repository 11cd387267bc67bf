package io.opsmcp.tools.gitlab.mergerequests;

import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.MutatingTool;
import io.opsmcp.tools.gitlab.Params;
import io.opsmcp.tools.gitlab.Schemas;
import io.opsmcp.tools.gitlab.client.GitLabApiException;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_create_merge_request(project, source_branch, target_branch, title, description)}. */
public final class CreateMergeRequestTool extends MutatingTool<CreateMergeRequestTool.NewMergeRequest> {

    /** Data of a planned merge request. */
    record NewMergeRequest(String source, String target, String title, String description) {
    }

    public CreateMergeRequestTool(GitLabContext gl) {
        super(gl, new ToolDefinition("gitlab_create_merge_request", "Open a GitLab merge request",
                "Opens a merge request from an existing source branch into a target branch. With dry_run=true only "
                        + "shows what would be opened.",
                JsonSchemas.input(JsonSchemas.properties()
                        .<ObjectNode>set("project", Schemas.project())
                        .<ObjectNode>set("source_branch", JsonSchemas.pattern("Branch with the changes.",
                                Params.REF_PATTERN, 255))
                        .<ObjectNode>set("target_branch", JsonSchemas.pattern("Branch to merge into.",
                                Params.REF_PATTERN, 255))
                        .<ObjectNode>set("title", JsonSchemas.nonEmptyText("Title.", MergeRequests.MAX_TITLE))
                        .<ObjectNode>set("description", JsonSchemas.nonEmptyText("Description (Markdown).",
                                MergeRequests.MAX_BODY))
                        .<ObjectNode>set("instance", Schemas.instance())
                        .<ObjectNode>set("dry_run", Schemas.dryRun()),
                        "project", "source_branch", "target_branch", "title"),
                Schemas.output("summary"), ToolAnnotations.mutating(false)));
    }

    @Override
    protected Plan<NewMergeRequest> plan(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        String source = Params.ref(args, "source_branch", true);
        String target = Params.ref(args, "target_branch", true);
        if (source.equals(target)) {
            throw Params.invalid("source_branch", "must differ from target_branch");
        }
        for (String branch : List.of(source, target)) {
            try {
                p.client().get(p.api("/repository/branches/" + io.opsmcp.tools.gitlab.client.GitLabClient
                        .segment(branch)), Map.of(), ctx.deadline());
            } catch (GitLabApiException e) {
                if (e.status() == 404) {
                    throw new ToolException(Kind.NOT_FOUND, "branch " + branch + " does not exist in " + p.path());
                }
                throw e;
            }
        }
        NewMergeRequest mr = new NewMergeRequest(source, target, Params.text(args, "title", MergeRequests.MAX_TITLE, true),
                Params.text(args, "description", MergeRequests.MAX_BODY, false));
        ObjectNode after = Json.object();
        after.put("source_branch", source);
        after.put("target_branch", target);
        after.put("title", mr.title());
        after.put("description", mr.description());
        ChangePreview change = new ChangePreview("open merge request " + source + " -> " + target + " in "
                + p.path() + ": " + mr.title(), null, after);
        return new Plan<>(p, p.change("gitlab:merge_request", target, null, null, change), mr);
    }

    @Override
    protected ToolResult apply(Plan<NewMergeRequest> plan, ObjectNode args, ToolContext ctx) {
        ProjectRef p = plan.project();
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
        return ToolResult.ok("Opened merge request !" + Json.text(created, "iid", "?") + " "
                + Json.text(created, "web_url", "") + "\n", out);
    }
}
