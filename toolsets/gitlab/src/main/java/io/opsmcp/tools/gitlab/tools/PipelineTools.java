package io.opsmcp.tools.gitlab.tools;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pipeline tools (GitLab REST v4 Pipelines API): {@code gitlab_pipelines}, {@code gitlab_pipeline}, and the
 * mutating {@code gitlab_retry_pipeline} and {@code gitlab_cancel_pipeline}.
 */
final class PipelineTools {

    static final List<String> STATUSES = List.of("created", "waiting_for_resource", "preparing", "pending", "running",
            "success", "failed", "canceled", "skipped", "manual", "scheduled");
    /** Statuses in which GitLab can still cancel a pipeline. */
    static final Set<String> CANCELABLE = Set.of("created", "waiting_for_resource", "preparing", "pending", "running",
            "scheduled", "manual");

    private PipelineTools() {
    }

    static List<OpsTool> all(GitLabContext gl) {
        return List.of(new ListPipelines(gl), new GetPipeline(gl), new RetryPipeline(gl), new CancelPipeline(gl));
    }

    private static ObjectNode pipelineArgs(boolean mutating) {
        ObjectNode props = JsonSchemas.properties()
                .<ObjectNode>set("project", Schemas.project())
                .<ObjectNode>set("pipeline_id", Schemas.id("Pipeline id (the global id, as in the pipeline's URL)."))
                .<ObjectNode>set("instance", Schemas.instance());
        if (mutating) {
            props.set("dry_run", Schemas.dryRun());
        }
        return JsonSchemas.input(props, "project", "pipeline_id");
    }

    /** {@code gitlab_pipelines(project, ref?, status?, since?, limit)}. */
    static final class ListPipelines extends GitLabTool {

        ListPipelines(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_pipelines", "GitLab pipelines",
                    "Lists a project's recent pipelines, newest first: id, status, ref, commit, source, times. Filter "
                            + "by `ref` (branch or tag), `status` and `since` (30min, 2h, 3d, or an ISO date/date-time; "
                            + "pipelines updated since then). Use it to find the pipeline that turned a branch red.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("ref", JsonSchemas.pattern("Branch or tag.", Params.REF_PATTERN, 255))
                            .<ObjectNode>set("status", JsonSchemas.enumeration("Pipeline status.", STATUSES))
                            .<ObjectNode>set("since", JsonSchemas.pattern("Only pipelines updated since then.",
                                    Params.SINCE_PATTERN, 40))
                            .<ObjectNode>set("limit", JsonSchemas.integer("Most pipelines to return.", 1, 100, 20))
                            .<ObjectNode>set("instance", Schemas.instance()), "project"),
                    Schemas.output("pipelines"), ToolAnnotations.readOnly()));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return project(args, ctx).read("gitlab:pipeline", Params.ref(args, "ref", false), null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            String ref = Params.ref(args, "ref", false);
            String status = Params.oneOf(args, "status", STATUSES);
            Instant since = Params.since(args, gl.clock());
            int limit = Params.integer(args, "limit", 1, 100, 20);
            Map<String, String> query = new LinkedHashMap<>();
            query.put("ref", ref);
            query.put("status", status);
            query.put("updated_after", since == null ? null : since.toString());
            query.put("order_by", "id");
            query.put("sort", "desc");
            List<JsonNode> pipelines = p.client().list(p.api("/pipelines"), query, limit, ctx.deadline());
            ObjectNode out = Json.result(p);
            ArrayNode list = out.putArray("pipelines");
            StringBuilder text = new StringBuilder(p.path() + ": " + pipelines.size() + " pipeline(s)"
                    + (ref == null ? "" : " on " + ref) + (status == null ? "" : " with status " + status)
                    + (since == null ? "" : " since " + since) + "\n");
            for (JsonNode pl : pipelines) {
                list.add(Json.pick(pl, "id", "iid", "status", "ref", "sha", "source", "created_at", "updated_at",
                        "web_url"));
                text.append(String.format("#%-8s %-9s %-24s %s %s%n", Json.text(pl, "id", "?"),
                        Json.text(pl, "status", "?"), Json.text(pl, "ref", "?"), Json.shortSha(Json.text(pl, "sha", null)),
                        Json.text(pl, "created_at", "")));
            }
            return ToolResult.ok(text.toString(), out);
        }
    }

    /** {@code gitlab_pipeline(project, pipeline_id)}: jobs by stage, commit and merge request. */
    static final class GetPipeline extends GitLabTool {

        GetPipeline(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_pipeline", "GitLab pipeline",
                    "Shows one pipeline: status, ref, the commit and merge request it ran for, and its jobs grouped by "
                            + "stage with status, duration, number of retries and failure reason. Use it after "
                            + "gitlab_pipelines; for why jobs failed use gitlab_pipeline_failure_analysis.",
                    pipelineArgs(false), Schemas.output("pipeline", "stages"), ToolAnnotations.readOnly()));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return project(args, ctx).read("gitlab:pipeline", null, Params.id(args, "pipeline_id"), null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            long id = Params.id(args, "pipeline_id");
            JsonNode pipeline = Pipelines.pipeline(p, id, ctx.deadline());
            List<Pipelines.Job> jobs = Pipelines.jobs(p, id, ctx.deadline());
            JsonNode commit = Pipelines.commit(p, pipeline.path("sha").asString(""), ctx.deadline());
            JsonNode mr = Pipelines.mergeRequest(p, pipeline, ctx.deadline());
            ObjectNode out = Json.result(p);
            out.set("pipeline", Json.pick(pipeline, "id", "iid", "status", "ref", "sha", "source", "created_at",
                    "started_at", "finished_at", "duration", "web_url"));
            out.set("commit", commit == null ? null : Json.pick(commit, "id", "short_id", "title", "author_name",
                    "committed_date", "web_url"));
            out.set("merge_request", mr == null ? null : Json.pick(mr, "iid", "title", "state", "source_branch",
                    "target_branch", "web_url"));
            StringBuilder text = new StringBuilder("Pipeline #" + id + " " + Json.text(pipeline, "status", "?")
                    + " on " + Json.text(pipeline, "ref", "?") + " @ " + Json.shortSha(Json.text(pipeline, "sha", null))
                    + " (" + Pipelines.duration(pipeline.get("duration")) + ")\n");
            if (commit != null) {
                text.append("commit: ").append(Json.text(commit, "short_id", "")).append(' ')
                        .append(Json.text(commit, "title", "")).append(" — ").append(Json.text(commit, "author_name", ""))
                        .append('\n');
            }
            if (mr != null) {
                text.append("merge request: !").append(Json.text(mr, "iid", "?")).append(' ')
                        .append(Json.text(mr, "title", "")).append(" (").append(Json.text(mr, "state", "?")).append(")\n");
            }
            ArrayNode stages = out.putArray("stages");
            ObjectNode stage = null;
            for (Pipelines.Job job : jobs) {
                if (stage == null || !stage.path("name").asString().equals(job.stage())) {
                    stage = stages.addObject();
                    stage.put("name", job.stage());
                    stage.putArray("jobs");
                    text.append("stage ").append(job.stage()).append(":\n");
                }
                ObjectNode j = Json.pick(job.latest(), "id", "name", "status", "duration", "failure_reason",
                        "allow_failure", "started_at", "finished_at", "web_url");
                j.put("retries", job.retries());
                ((ArrayNode) stage.get("jobs")).add(j);
                text.append(String.format("  %-9s %-28s job %-10s %8s%s%s%n", job.status(), job.name(), job.id(),
                        Pipelines.duration(job.latest().get("duration")),
                        job.retries() > 0 ? "  retries " + job.retries() : "",
                        job.latest().path("failure_reason").isString()
                                ? "  (" + job.latest().path("failure_reason").asString() + ")" : ""));
            }
            for (JsonNode s : stages) {
                List<String> statuses = new ArrayList<>();
                s.get("jobs").forEach(j -> statuses.add(j.path("status").asString("")));
                ((ObjectNode) s).put("status", statuses.contains("failed") ? "failed"
                        : statuses.contains("running") ? "running" : statuses.stream().allMatch("success"::equals)
                        ? "success" : String.join(",", new java.util.LinkedHashSet<>(statuses)));
            }
            return ToolResult.ok(text.toString(), out);
        }
    }

    /** What both pipeline mutations carry: the pipeline as it is now. */
    record Current(long id, JsonNode pipeline) {
    }

    private static MutatingTool.Plan<Current> planOn(ProjectRef p, long id, String verb,
                                                     JsonNode pipeline, String after) {
        String status = Json.text(pipeline, "status", "?");
        String ref = Json.text(pipeline, "ref", null);
        ObjectNode before = Json.pick(pipeline, "id", "status", "ref", "sha", "web_url");
        ObjectNode afterNode = Json.object();
        afterNode.put("id", id);
        afterNode.put("status", after);
        ChangePreview change = new ChangePreview(verb + " pipeline #" + id + " on " + ref + " in " + p.path()
                + " (status " + status + " -> " + after + ")", before, afterNode);
        return new MutatingTool.Plan<>(p, p.change("gitlab:pipeline", ref, id, null, change), new Current(id, pipeline));
    }

    /** {@code gitlab_retry_pipeline(project, pipeline_id)}: {@code POST /projects/:id/pipelines/:pipeline_id/retry}. */
    static final class RetryPipeline extends MutatingTool<Current> {

        RetryPipeline(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_retry_pipeline", "Retry a GitLab pipeline",
                    "Retries the failed and canceled jobs of a pipeline (GitLab's Retry button). With dry_run=true "
                            + "only shows what would be retried.",
                    pipelineArgs(true), Schemas.output("summary"), ToolAnnotations.mutating(false)));
        }

        @Override
        Plan<Current> plan(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            long id = Params.id(args, "pipeline_id");
            JsonNode pipeline = Pipelines.pipeline(p, id, ctx.deadline());
            String status = pipeline.path("status").asString("");
            if (!status.equals("failed") && !status.equals("canceled")) {
                throw new ToolException(Kind.INVALID_ARGUMENT, "pipeline_id: pipeline " + id + " has status " + status
                        + "; only failed or canceled pipelines can be retried");
            }
            return planOn(p, id, "retry", pipeline, "running");
        }

        @Override
        ToolResult apply(Plan<Current> plan, ObjectNode args, ToolContext ctx) {
            ProjectRef p = plan.project();
            JsonNode after = p.client().post(p.api("/pipelines/" + plan.data().id() + "/retry"), null, ctx.deadline());
            ObjectNode out = Json.result(p);
            out.put("dry_run", false);
            out.put("summary", plan.change().summary());
            out.set("pipeline", Json.pick(after, "id", "status", "ref", "sha", "web_url"));
            return ToolResult.ok("Retried pipeline #" + plan.data().id() + ": status now "
                    + Json.text(after, "status", "?") + " " + Json.text(after, "web_url", "") + "\n", out);
        }
    }

    /** {@code gitlab_cancel_pipeline(project, pipeline_id)}: {@code POST /projects/:id/pipelines/:pipeline_id/cancel}. */
    static final class CancelPipeline extends MutatingTool<Current> {

        CancelPipeline(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_cancel_pipeline", "Cancel a GitLab pipeline",
                    "Cancels a running or pending pipeline: its running jobs are stopped (destructive: a deployment "
                            + "job may stop half-way). With dry_run=true only shows what would be canceled.",
                    pipelineArgs(true), Schemas.output("summary"), ToolAnnotations.destructive()));
        }

        @Override
        Plan<Current> plan(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            long id = Params.id(args, "pipeline_id");
            JsonNode pipeline = Pipelines.pipeline(p, id, ctx.deadline());
            String status = pipeline.path("status").asString("");
            if (!CANCELABLE.contains(status)) {
                throw new ToolException(Kind.INVALID_ARGUMENT, "pipeline_id: pipeline " + id + " has status " + status
                        + " and cannot be canceled");
            }
            return planOn(p, id, "cancel", pipeline, "canceled");
        }

        @Override
        ToolResult apply(Plan<Current> plan, ObjectNode args, ToolContext ctx) {
            ProjectRef p = plan.project();
            JsonNode after = p.client().post(p.api("/pipelines/" + plan.data().id() + "/cancel"), null, ctx.deadline());
            ObjectNode out = Json.result(p);
            out.put("dry_run", false);
            out.put("summary", plan.change().summary());
            out.set("pipeline", Json.pick(after, "id", "status", "ref", "sha", "web_url"));
            return ToolResult.ok("Canceled pipeline #" + plan.data().id() + ": status now "
                    + Json.text(after, "status", "?") + "\n", out);
        }
    }
}
