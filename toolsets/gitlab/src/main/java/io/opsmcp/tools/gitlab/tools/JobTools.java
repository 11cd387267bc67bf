package io.opsmcp.tools.gitlab.tools;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.re2j.PatternSyntaxException;

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
import io.opsmcp.tools.gitlab.trace.GrepCollector;
import io.opsmcp.tools.gitlab.trace.TailBuffer;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Job tools (GitLab REST v4 Jobs API): {@code gitlab_job_log} ({@code GET /projects/:id/jobs/:job_id} and
 * {@code …/trace}) and the mutating {@code gitlab_retry_job} ({@code POST …/retry}).
 */
final class JobTools {

    /** Job statuses GitLab lets a user retry. */
    static final Set<String> RETRYABLE = Set.of("failed", "canceled", "success");
    private static final int MAX_GREP_CHARS = 200;

    private JobTools() {
    }

    static List<OpsTool> all(GitLabContext gl) {
        return List.of(new JobLog(gl), new RetryJob(gl));
    }

    static JsonNode job(ProjectRef p, long jobId, ToolContext ctx) {
        return p.client().get(p.api("/jobs/" + jobId), Map.of(), ctx.deadline());
    }

    /** Streams a job's trace through {@code sink}; bounded memory whatever the trace's size. */
    static TraceReader.Stats trace(GitLabContext gl, ProjectRef p, long jobId, ToolContext ctx,
                                   TraceReader.LineSink sink) {
        return p.client().stream(p.api("/jobs/" + jobId + "/trace"), Map.of(), ctx.deadline(),
                in -> TraceReader.read(in, ctx.deadline(), gl.clock(), sink));
    }

    /** {@code gitlab_job_log(project, job_id, tail_lines?, grep?)}. */
    static final class JobLog extends GitLabTool {

        JobLog(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_job_log", "GitLab job log",
                    "Reads a CI job's log (trace) as plain text: ANSI colour codes and GitLab section markers removed, "
                            + "line numbers kept. By default the last " + gl.settings().defaultLogLines() + " lines "
                            + "(`tail_lines` up to " + gl.settings().maxLogLines() + "). With `grep` (a regular "
                            + "expression, RE2 syntax; add (?i) to ignore case) only matching lines with "
                            + "`context_lines` around them. Use gitlab_pipeline_failure_analysis first for failures.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("job_id", Schemas.id("Job id."))
                            .<ObjectNode>set("tail_lines", JsonSchemas.integer("Last lines to return (without grep).",
                                    1,
                                    gl.settings().maxLogLines(), gl.settings().defaultLogLines()))
                            .<ObjectNode>set("grep",
                                    JsonSchemas.nonEmptyText("Regular expression (RE2) selecting lines.",
                                    MAX_GREP_CHARS))
                            .<ObjectNode>set("context_lines",
                                    JsonSchemas.integer("Lines of context around each grep match.",
                                    0, 20, 3))
                            .<ObjectNode>set("instance", Schemas.instance()), "project", "job_id"),
                    Schemas.output("job", "lines", "total_lines"), ToolAnnotations.readOnly()));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return project(args, ctx).read("gitlab:job", null, null, Params.id(args, "job_id"));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            long jobId = Params.id(args, "job_id");
            int max = gl.settings().maxLogLines();
            int tailLines = Params.integer(args, "tail_lines", 1, max, gl.settings().defaultLogLines());
            String grep = Params.text(args, "grep", MAX_GREP_CHARS, false);
            int context = Params.integer(args, "context_lines", 0, 20, 3);
            com.google.re2j.Pattern pattern = null;
            if (grep != null) {
                try {
                    pattern = com.google.re2j.Pattern.compile(grep);
                } catch (PatternSyntaxException e) {
                    throw Params.invalid("grep", "is not a valid RE2 regular expression: " + e.getDescription());
                }
            }
            JsonNode job = job(p, jobId, ctx);
            List<TraceLine> lines;
            TraceReader.Stats stats;
            long matches = 0;
            if (pattern == null) {
                TailBuffer tail = new TailBuffer(tailLines);
                stats = trace(gl, p, jobId, ctx, tail);
                lines = tail.lines();
            } else {
                GrepCollector collector = new GrepCollector(pattern, context, Math.max(1, max / (2 * context + 1)));
                stats = trace(gl, p, jobId, ctx, collector);
                lines = collector.lines();
                matches = collector.matches();
            }
            ObjectNode out = Json.result(p);
            ObjectNode j = Json.pick(job, "id", "name", "stage", "status", "failure_reason", "ref", "web_url");
            j.put("pipeline_id", job.path("pipeline").path("id").asLong());
            out.set("job", j);
            out.put("total_lines", stats.lines());
            out.put("mode", pattern == null ? "tail" : "grep");
            if (pattern != null) {
                out.put("grep", grep);
                out.put("matches", matches);
            }
            out.put("cut_lines", stats.cutLines());
            ArrayNode list = out.putArray("lines");
            StringBuilder text = new StringBuilder("Job " + jobId + " " + Json.text(job, "name", "?") + " ("
                    + Json.text(job, "status", "?") + ", stage " + Json.text(job, "stage", "?") + ") — ");
            text.append(pattern == null ? "last " + lines.size() + " of " + stats.lines() + " lines"
                    : matches + " matching line(s) for /" + grep + "/" + (matches > lines.stream()
                    .filter(TraceLine::match).count() ? " (first " + lines.stream().filter(TraceLine::match).count()
                    + " shown)" : "")).append('\n');
            long previous = -1;
            for (TraceLine line : lines) {
                ObjectNode o = list.addObject();
                o.put("n", line.number());
                o.put("text", line.text());
                if (pattern != null) {
                    o.put("match", line.match());
                    if (previous >= 0 && line.number() > previous + 1) {
                        text.append("--\n");
                    }
                }
                previous = line.number();
                text.append(String.format("%6d%s %s%n", line.number(), line.match() ? ">" : "|", line.text()));
            }
            return ToolResult.ok(text.toString(), out);
        }
    }

    /** {@code gitlab_retry_job(project, job_id)}. */
    static final class RetryJob extends MutatingTool<JsonNode> {

        RetryJob(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_retry_job", "Retry a GitLab job",
                    "Retries one CI job (a new attempt of the same job in the same pipeline), e.g. after a flaky test "
                            + "or a transient network error. With dry_run=true only shows what would be retried.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("job_id", Schemas.id("Job id."))
                            .<ObjectNode>set("instance", Schemas.instance())
                            .<ObjectNode>set("dry_run", Schemas.dryRun()), "project", "job_id"),
                    Schemas.output("summary"), ToolAnnotations.mutating(false)));
        }

        @Override
        Plan<JsonNode> plan(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            long jobId = Params.id(args, "job_id");
            JsonNode job = job(p, jobId, ctx);
            String status = job.path("status").asString("");
            if (!RETRYABLE.contains(status)) {
                throw new ToolException(Kind.INVALID_ARGUMENT, "job_id: job " + jobId + " has status " + status
                        + "; GitLab retries only failed, canceled or successful jobs");
            }
            String ref = Json.text(job, "ref", null);
            long pipelineId = job.path("pipeline").path("id").asLong();
            ObjectNode before = Json.pick(job, "id", "name", "stage", "status", "failure_reason", "ref", "web_url");
            ObjectNode after = Json.object();
            after.put("name", Json.text(job, "name", "?"));
            after.put("status", "pending");
            after.put("note", "a new job is created; the old attempt stays as retried");
            ChangePreview change = new ChangePreview("retry job " + jobId + " (" + Json.text(job, "name", "?") + ", "
                    + status + ") of pipeline #" + pipelineId + " on " + ref + " in " + p.path(), before, after);
            return new Plan<>(p, p.change("gitlab:job", ref, pipelineId, jobId, change), job);
        }

        @Override
        ToolResult apply(Plan<JsonNode> plan, ObjectNode args, ToolContext ctx) {
            ProjectRef p = plan.project();
            long jobId = plan.data().path("id").asLong();
            JsonNode job = p.client().post(p.api("/jobs/" + jobId + "/retry"), null, ctx.deadline());
            ObjectNode out = Json.result(p);
            out.put("dry_run", false);
            out.put("summary", plan.change().summary());
            out.set("job", Json.pick(job, "id", "name", "status", "web_url"));
            return ToolResult.ok("Retried job " + jobId + ": new job " + Json.text(job, "id", "?") + " is "
                    + Json.text(job, "status", "?") + " " + Json.text(job, "web_url", "") + "\n", out);
        }
    }
}
