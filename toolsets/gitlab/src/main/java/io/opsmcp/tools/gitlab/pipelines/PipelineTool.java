package io.opsmcp.tools.gitlab.pipelines;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_pipeline(project, pipeline_id)}: jobs by stage, commit and merge request. */
public final class PipelineTool extends GitLabTool {

    public PipelineTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_pipeline")
                        .title("GitLab pipeline")
                        .description("One pipeline: status, ref, commit, merge request, and jobs by stage with status, "
                                + "duration, retries and failure reason.")
                        .args(GitLabArgs.PROJECT, PipelineChanges.PIPELINE_ID, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("pipeline", "stages"),
                                "pipeline",
                                "object",
                                "id, status, ref, sha, source, times, web_url",
                                "commit",
                                "object",
                                "the commit it ran for",
                                "merge_request",
                                "object",
                                "the merge request it ran for",
                                "stages",
                                "array",
                                "{stage, jobs[]}: status, duration, retries, failure reason"))
                        .readOnly()
                        .build());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:pipeline", null, GitLabArgs.id(PipelineChanges.PIPELINE_ID, args), null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long id = GitLabArgs.id(PipelineChanges.PIPELINE_ID, args);
        JsonNode pipeline = Pipelines.pipeline(p, id, ctx.deadline());
        List<PipelineJob> jobs = Pipelines.jobs(p, id, ctx.deadline());
        JsonNode commit = Pipelines.commit(p, pipeline.path("sha").asString(""), ctx.deadline());
        JsonNode mr = Pipelines.mergeRequest(p, pipeline, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.set(
                "pipeline",
                Json.pick(
                        pipeline,
                        "id",
                        "iid",
                        "status",
                        "ref",
                        "sha",
                        "source",
                        "created_at",
                        "started_at",
                        "finished_at",
                        "duration",
                        "web_url"));
        out.set(
                "commit",
                commit == null
                        ? null
                        : Json.pick(commit, "id", "short_id", "title", "author_name", "committed_date", "web_url"));
        out.set(
                "merge_request",
                mr == null
                        ? null
                        : Json.pick(mr, "iid", "title", "state", "source_branch", "target_branch", "web_url"));
        StringBuilder text = new StringBuilder("Pipeline #" + id + " " + Json.text(pipeline, "status", "?")
                + " on " + Json.text(pipeline, "ref", "?") + " @ " + Json.shortSha(Json.text(pipeline, "sha", null))
                + " (" + Pipelines.duration(pipeline.get("duration")) + ")\n");
        if (commit != null) {
            text.append("commit: ")
                    .append(Json.text(commit, "short_id", ""))
                    .append(' ')
                    .append(Json.text(commit, "title", ""))
                    .append(" — ")
                    .append(Json.text(commit, "author_name", ""))
                    .append('\n');
        }
        if (mr != null) {
            text.append("merge request: !")
                    .append(Json.text(mr, "iid", "?"))
                    .append(' ')
                    .append(Json.text(mr, "title", ""))
                    .append(" (")
                    .append(Json.text(mr, "state", "?"))
                    .append(")\n");
        }
        ArrayNode stages = out.putArray("stages");
        for (Stage stage : Stage.group(jobs)) {
            ObjectNode st = stages.addObject();
            st.put("name", stage.name());
            ArrayNode list = st.putArray("jobs");
            text.append("stage ").append(stage.name()).append(":\n");
            for (PipelineJob job : stage.jobs()) {
                ObjectNode j = Json.pick(
                        job.latest(),
                        "id",
                        "name",
                        "status",
                        "duration",
                        "failure_reason",
                        "allow_failure",
                        "started_at",
                        "finished_at",
                        "web_url");
                j.put("retries", job.retries());
                list.add(j);
                text.append(String.format(
                        "  %-9s %-28s job %-10s %8s%s%s%n",
                        job.status(),
                        job.name(),
                        job.id(),
                        Pipelines.duration(job.latest().get("duration")),
                        job.retries() > 0 ? "  retries " + job.retries() : "",
                        job.latest().path("failure_reason").isString()
                                ? "  (" + job.latest().path("failure_reason").asString() + ")"
                                : ""));
            }
            st.put("status", stage.status());
        }
        return ToolResult.ok(text.toString(), out);
    }

    /** Consecutive jobs of one stage, in the pipeline's stage order. */
    record Stage(String name, List<PipelineJob> jobs) {

        static List<Stage> group(List<PipelineJob> jobs) {
            List<Stage> stages = new ArrayList<>();
            for (PipelineJob job : jobs) {
                if (stages.isEmpty() || !stages.get(stages.size() - 1).name().equals(job.stage())) {
                    stages.add(new Stage(job.stage(), new ArrayList<>()));
                }
                stages.get(stages.size() - 1).jobs().add(job);
            }
            return stages;
        }

        /** failed if any job failed, else running if any runs, success if all succeeded, else the statuses seen. */
        String status() {
            List<String> statuses = jobs.stream().map(PipelineJob::status).toList();
            return statuses.contains("failed")
                    ? "failed"
                    : statuses.contains("running")
                            ? "running"
                            : statuses.stream().allMatch("success"::equals)
                                    ? "success"
                                    : String.join(",", new LinkedHashSet<>(statuses));
        }
    }
}
