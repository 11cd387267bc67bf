package io.opsmcp.tools.gitlab.jobs;

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
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_retry_job(project, job_id)}. */
public final class RetryJobTool extends GitLabMutatingTool<RetryJobTool.Planned> {

    /** The job to retry, in its project. */
    record Planned(ProjectRef project, long jobId) implements GitLabMutatingTool.OnProject {}

    private static final ArgSpec<Long> JOB_ID =
            GitLabArgs.id("job_id", "Job id.").required();

    /** Job statuses GitLab lets a user retry. */
    private static final Set<String> RETRYABLE = Set.of("failed", "canceled", "success");

    public RetryJobTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_retry_job")
                        .title("Retry a GitLab job")
                        .description("Retries one CI job in its pipeline, e.g. after a flaky test or network error.")
                        .args(GitLabArgs.PROJECT, JOB_ID, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("summary"),
                                "dry_run",
                                "boolean",
                                "false: the change was made",
                                "summary",
                                "string",
                                "the change, in one line",
                                "job",
                                "object",
                                "the new job: id, name, status, web_url"))
                        .mutating(false)
                        .build());
    }

    @Override
    protected PlannedChange<Planned> plan(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long jobId = GitLabArgs.id(JOB_ID, args);
        JsonNode job = Jobs.job(p, jobId, ctx);
        String status = job.path("status").asString("");
        if (!RETRYABLE.contains(status)) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "job_id: job " + jobId + " has status " + status
                            + "; GitLab retries only failed, canceled or successful jobs");
        }
        String ref = Json.text(job, "ref", null);
        long pipelineId = job.path("pipeline").path("id").asLong();
        ObjectNode before = Json.pick(job, "id", "name", "stage", "status", "failure_reason", "ref", "web_url");
        ObjectNode after = Json.object();
        after.put("name", Json.text(job, "name", "?"));
        after.put("status", "pending");
        after.put("note", "a new job is created; the old attempt stays as retried");
        ChangePreview change = new ChangePreview(
                "retry job " + jobId + " (" + Json.text(job, "name", "?") + ", " + status + ") of pipeline #"
                        + pipelineId + " on " + ref + " in " + p.path(),
                before,
                after);
        return new PlannedChange<>(p.change("gitlab:job", ref, pipelineId, jobId, change), new Planned(p, jobId));
    }

    @Override
    protected ToolResult apply(PlannedChange<Planned> plan, ObjectNode args, ToolContext ctx) {
        ProjectRef p = plan.data().project();
        long jobId = plan.data().jobId();
        JsonNode job = p.client().post(p.api("/jobs/" + jobId + "/retry"), null, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("dry_run", false);
        out.put("summary", plan.change().summary());
        out.set("job", Json.pick(job, "id", "name", "status", "web_url"));
        return ToolResult.ok(
                "Retried job " + jobId + ": new job " + Json.text(job, "id", "?") + " is "
                        + Json.text(job, "status", "?") + " " + Json.text(job, "web_url", "") + "\n",
                out);
    }
}
