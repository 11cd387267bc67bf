package io.opsmcp.tools.gitlab.jobs;

import java.util.List;

import com.google.re2j.PatternSyntaxException;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.Params;
import io.opsmcp.tools.gitlab.Schemas;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import io.opsmcp.tools.gitlab.trace.GrepCollector;
import io.opsmcp.tools.gitlab.trace.TailBuffer;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_job_log(project, job_id, tail_lines?, grep?)}. */
public final class JobLogTool extends GitLabTool {

    private static final int MAX_GREP_CHARS = 200;

    public JobLogTool(GitLabContext gl) {
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
        JsonNode job = Jobs.job(p, jobId, ctx);
        List<TraceLine> lines;
        TraceReader.Stats stats;
        long matches = 0;
        if (pattern == null) {
            TailBuffer tail = new TailBuffer(tailLines);
            stats = Jobs.trace(gl, p, jobId, ctx, tail);
            lines = tail.lines();
        } else {
            GrepCollector collector = new GrepCollector(pattern, context, Math.max(1, max / (2 * context + 1)));
            stats = Jobs.trace(gl, p, jobId, ctx, collector);
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
