package io.opsmcp.tools.gitlab.pipelines;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabMutatingTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_cancel_pipeline(project, pipeline_id)}: {@code POST /projects/:id/pipelines/:pipeline_id/cancel}. */
public final class CancelPipelineTool extends GitLabMutatingTool<PipelineChanges.Current> {

    public CancelPipelineTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_cancel_pipeline")
                        .title("Cancel a GitLab pipeline")
                        .description(
                                "Cancels a running or pending pipeline; running jobs stop, a deployment may stop half-way.")
                        .args(GitLabArgs.PROJECT, PipelineChanges.PIPELINE_ID, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("summary"),
                                "dry_run",
                                "boolean",
                                "false: the change was made",
                                "summary",
                                "string",
                                "the change, in one line",
                                "pipeline",
                                "object",
                                "the pipeline afterwards: id, status, web_url"))
                        .destructive()
                        .build());
    }

    @Override
    protected PlannedChange<PipelineChanges.Current> plan(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long id = GitLabArgs.id(PipelineChanges.PIPELINE_ID, args);
        JsonNode pipeline = Pipelines.pipeline(p, id, ctx.deadline());
        String status = pipeline.path("status").asString("");
        if (!PipelineChanges.CANCELABLE.contains(status)) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "pipeline_id: pipeline " + id + " has status " + status + " and cannot be canceled");
        }
        return PipelineChanges.planOn(p, id, "cancel", pipeline, "canceled");
    }

    @Override
    protected ToolResult apply(PlannedChange<PipelineChanges.Current> plan, ObjectNode args, ToolContext ctx) {
        ProjectRef p = plan.data().project();
        JsonNode after = p.client().post(p.api("/pipelines/" + plan.data().id() + "/cancel"), null, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("dry_run", false);
        out.put("summary", plan.change().summary());
        out.set("pipeline", Json.pick(after, "id", "status", "ref", "sha", "web_url"));
        return ToolResult.ok(
                "Canceled pipeline #" + plan.data().id() + ": status now " + Json.text(after, "status", "?") + "\n",
                out);
    }
}
