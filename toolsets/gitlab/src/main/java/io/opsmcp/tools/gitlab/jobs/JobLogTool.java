package io.opsmcp.tools.gitlab.jobs;

import com.google.re2j.PatternSyntaxException;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import io.opsmcp.tools.gitlab.trace.GrepCollector;
import io.opsmcp.tools.gitlab.trace.TailBuffer;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_job_log(project, job_id, tail_lines?, grep?)}. */
public final class JobLogTool extends GitLabTool {

    private static final int MAX_GREP_CHARS = 200;
    private static final ArgSpec<Long> JOB_ID =
            GitLabArgs.id("job_id", "Job id.").required();
    private static final ArgSpec<String> GREP =
            GitLabArgs.text("grep", "RE2 regular expression selecting lines.", MAX_GREP_CHARS);
    private static final ArgSpec<Integer> CONTEXT_LINES =
            ArgSpec.integer("context_lines").range(0, 20).defaultValue(3).description("Lines around each grep match.");

    /** Bounded by gitlab.max_log_lines, defaulting to gitlab.default_log_lines. */
    private final ArgSpec<Integer> tailLines;

    public JobLogTool(GitLabContext gl) {
        this(
                gl,
                ArgSpec.integer("tail_lines")
                        .range(1, gl.settings().maxLogLines())
                        .defaultValue(gl.settings().defaultLogLines())
                        .description("Last lines to return without grep."));
    }

    private JobLogTool(GitLabContext gl, ArgSpec<Integer> tailLines) {
        super(
                gl,
                ToolSpec.tool("gitlab_job_log")
                        .title("GitLab job log")
                        .description(
                                "A CI job's log as plain text: the last tail_lines, or the lines matching grep (RE2; (?i) "
                                        + "ignores case) with context.")
                        .args(GitLabArgs.PROJECT, JOB_ID, tailLines, GREP, CONTEXT_LINES, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("job", "lines", "total_lines"),
                                "job",
                                "object",
                                "id, name, status, stage, web_url",
                                "total_lines",
                                "integer",
                                "lines in the whole log",
                                "mode",
                                "string",
                                "tail or grep",
                                "cut_lines",
                                "integer",
                                "lines shortened to the line cap",
                                "grep",
                                "string",
                                "the expression, in grep mode",
                                "matches",
                                "integer",
                                "matching lines, in grep mode",
                                "lines",
                                "array",
                                "{n, text}: line number and text"))
                        .readOnly()
                        .build());
        this.tailLines = tailLines;
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:job", null, null, GitLabArgs.id(JOB_ID, args));
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long jobId = GitLabArgs.id(JOB_ID, args);
        int max = gl.settings().maxLogLines();
        int tailLines = this.tailLines.read(args);
        String grep = GitLabArgs.text(GREP, args);
        int context = CONTEXT_LINES.read(args);
        com.google.re2j.Pattern pattern = null;
        if (grep != null) {
            try {
                pattern = com.google.re2j.Pattern.compile(grep);
            } catch (PatternSyntaxException e) {
                throw GitLabArgs.invalid("grep", "is not a valid RE2 regular expression: " + e.getDescription());
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
        text.append(
                        pattern == null
                                ? "last " + lines.size() + " of " + stats.lines() + " lines"
                                : matches + " matching line(s) for /" + grep + "/"
                                        + (matches
                                                        > lines.stream()
                                                                .filter(TraceLine::match)
                                                                .count()
                                                ? " (first "
                                                        + lines.stream()
                                                                .filter(TraceLine::match)
                                                                .count() + " shown)"
                                                : ""))
                .append('\n');
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
