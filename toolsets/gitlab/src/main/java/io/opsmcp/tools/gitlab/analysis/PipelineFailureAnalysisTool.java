package io.opsmcp.tools.gitlab.analysis;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.pipelines.PipelineJob;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_pipeline_failure_analysis(project, pipeline_id)}: why each failed job of a pipeline failed, and what to do next. */
public final class PipelineFailureAnalysisTool extends GitLabTool {

    private static final ArgSpec<Long> PIPELINE_ID =
            GitLabArgs.id("pipeline_id", "Pipeline id.").required();

    private final FailureAnalyzer analyzer;

    public PipelineFailureAnalysisTool(GitLabContext gl, FailureAnalyzer analyzer) {
        super(
                gl,
                ToolSpec.tool("gitlab_pipeline_failure_analysis")
                        .title("GitLab pipeline failure analysis")
                        .description(
                                "Why a pipeline failed: each failed job's log classified (missing package, dependency, "
                                        + "config, timeout, flaky test, OOM, disk, network, compile, lint, image pull, test failure) "
                                        + "with evidence and the next tool to call.")
                        .args(GitLabArgs.PROJECT, PIPELINE_ID, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("pipeline", "jobs"),
                                "pipeline",
                                "object",
                                "id, status, ref, sha, web_url",
                                "jobs",
                                "array",
                                "per failed job: job, category, confidence, evidence, extracted, next_step",
                                "not_analysed",
                                "array",
                                "failed jobs not analysed, with why"))
                        .readOnly()
                        .build());
        this.analyzer = analyzer;
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:pipeline", null, GitLabArgs.id(PIPELINE_ID, args), null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long id = GitLabArgs.id(PIPELINE_ID, args);
        FailureAnalyzer.Result result = analyzer.analyse(p, id, null, ctx);
        ObjectNode out = Json.result(p);
        out.set("pipeline", result.pipeline().toJson());
        ArrayNode jobs = out.putArray("jobs");
        StringBuilder text = new StringBuilder("Pipeline #" + id + " "
                + Objects.requireNonNullElse(result.pipeline().status(), "?")
                + " on " + Objects.requireNonNullElse(result.pipeline().ref(), "?") + " @ "
                + Json.shortSha(result.pipeline().sha()) + ": "
                + result.analysed().size()
                + " failed job(s) analysed\n");
        for (FailureAnalyzer.JobAnalysis a : result.analysed()) {
            jobs.add(toJson(a));
            text.append(toText(a));
        }
        ArrayNode skipped = out.putArray("not_analysed");
        for (PipelineJob j : result.notAnalysed()) {
            skipped.add(Json.pick(j.latest(), "id", "name", "stage"));
        }
        if (!result.notAnalysed().isEmpty()) {
            text.append(result.notAnalysed().size())
                    .append(" more failed job(s) not analysed "
                            + "(gitlab.max_analyzed_jobs); analyse them with gitlab_job_log\n");
        }
        if (result.analysed().isEmpty()) {
            text.append("No failed jobs in this pipeline.\n");
        }
        return ToolResult.ok(text.toString(), out);
    }

    /** The JSON of one job's classification. */
    private static ObjectNode toJson(FailureAnalyzer.JobAnalysis a) {
        Classification c = a.classification();
        ObjectNode o = Json.object();
        ObjectNode job = Json.pick(
                a.job().latest(), "id", "name", "stage", "status", "failure_reason", "allow_failure", "web_url");
        job.put("retries", a.job().retries());
        o.set("job", job);
        o.put("category", c.category());
        o.put("title", c.title());
        o.put("confidence", c.confidence());
        o.put("rule", c.ruleId());
        ArrayNode evidence = o.putArray("evidence");
        for (TraceLine l : c.evidence()) {
            ObjectNode e = evidence.addObject();
            e.put("line", l.number());
            e.put("text", l.text());
            e.put("match", l.match());
        }
        ArrayNode facts = o.putArray("facts");
        c.facts().forEach(facts::add);
        ObjectNode extracted = o.putObject("extracted");
        c.extracted().forEach(extracted::put);
        ObjectNode next = o.putObject("next_step");
        next.put("tool", c.nextStep().tool());
        next.set("arguments", c.nextStep().arguments());
        next.put("reason", c.nextStep().reason());
        o.put("fix", c.fix());
        ArrayNode also = o.putArray("also_matched");
        c.alsoMatched().forEach(also::add);
        o.put("trace_lines", a.trace().lines());
        return o;
    }

    private static String toText(FailureAnalyzer.JobAnalysis a) {
        Classification c = a.classification();
        StringBuilder text = new StringBuilder("- " + a.job().name() + " (job "
                + a.job().id() + ", stage "
                + a.job().stage() + (a.job().retries() > 0 ? ", " + a.job().retries() + " retries" : "") + "): "
                + c.category() + " — " + c.title() + String.format(" (confidence %.2f)%n", c.confidence()));
        for (TraceLine l : c.evidence()) {
            text.append(String.format("    %6d%s %s%n", l.number(), l.match() ? ">" : "|", l.text()));
        }
        for (String f : c.facts()) {
            text.append("    fact: ").append(f).append('\n');
        }
        text.append("    next: ")
                .append(c.nextStep().tool())
                .append(' ')
                .append(c.nextStep().arguments())
                .append(
                        c.nextStep().reason() == null
                                ? ""
                                : " — " + c.nextStep().reason())
                .append('\n');
        if (!c.alsoMatched().isEmpty()) {
            text.append("    also matched: ")
                    .append(String.join(", ", c.alsoMatched()))
                    .append('\n');
        }
        return text.toString();
    }
}
