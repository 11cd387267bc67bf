package io.opsmcp.tools.gitlab.analysis;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.jobs.Jobs;
import io.opsmcp.tools.gitlab.pipelines.Pipeline;
import io.opsmcp.tools.gitlab.pipelines.PipelineJob;
import io.opsmcp.tools.gitlab.pipelines.Pipelines;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Analyses a pipeline's failed jobs: streams each trace through the {@link Classifier} and looks up the history
 * facts rules may use — whether another attempt of the same job (by name) passed in this pipeline (evidence of a
 * flaky job), and whether it passed on the previous commit (the newest of the last
 * {@code gitlab.history_pipelines} pipelines on the ref with another sha). A green previous commit is reported but
 * is no evidence of flakiness by itself: an ordinary regression looks the same.
 */
public final class FailureAnalyzer {

    /** One analysed job. */
    public record JobAnalysis(PipelineJob job, Classification classification, TraceReader.Stats trace) {}

    /**
     * @param pipeline    the pipeline as GitLab returned it
     * @param analysed    failed jobs classified, in stage order
     * @param notAnalysed failed jobs beyond {@code gitlab.max_analyzed_jobs}
     */
    public record Result(Pipeline pipeline, List<JobAnalysis> analysed, List<PipelineJob> notAnalysed) {}

    private record Earlier(Pipeline pipeline, List<PipelineJob> jobs) {}

    private final GitLabContext gl;

    public FailureAnalyzer(GitLabContext gl) {
        this.gl = gl;
    }

    /** Analyses the failed jobs of a pipeline (only {@code onlyJobId} when given). */
    public Result analyse(ProjectRef p, long pipelineId, Long onlyJobId, ToolContext ctx) {
        Pipeline pipeline = Pipeline.of(Pipelines.pipeline(p, pipelineId, ctx.deadline()));
        List<PipelineJob> failed = new ArrayList<>();
        for (PipelineJob job : Pipelines.jobs(p, pipelineId, ctx.deadline())) {
            if (job.status().equals("failed") && (onlyJobId == null || job.id() == onlyJobId)) {
                failed.add(job);
            }
        }
        int max = gl.settings().maxAnalyzedJobs();
        List<PipelineJob> analysedJobs = failed.subList(0, Math.min(max, failed.size()));
        List<PipelineJob> rest = failed.subList(analysedJobs.size(), failed.size());
        List<Earlier> earlier = analysedJobs.isEmpty() ? List.of() : earlier(p, pipeline, ctx);
        List<JobAnalysis> out = new ArrayList<>();
        int i = 0;
        for (PipelineJob job : analysedJobs) {
            ctx.progress().report(i++, (double) analysedJobs.size(), "classifying job " + job.name());
            JobFacts facts = new JobFacts(
                    job.latest().path("failure_reason").asString(null),
                    history(job, pipeline, earlier),
                    fields(p, pipeline, job));
            Classifier.Scan scan = gl.classifier().scan(facts);
            TraceReader.Stats stats = Jobs.trace(gl, p, job.id(), ctx, scan);
            out.add(new JobAnalysis(job, scan.result(), stats));
        }
        return new Result(pipeline, out, List.copyOf(rest));
    }

    private static Map<String, String> fields(ProjectRef p, Pipeline pipeline, PipelineJob job) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("project", p.path());
        f.put("pipeline_id", pipeline.id() == null ? "" : pipeline.id().toString());
        f.put("job_id", Long.toString(job.id()));
        f.put("job_name", job.name());
        f.put("stage", job.stage());
        f.put("ref", pipeline.refOrEmpty());
        f.put("sha", pipeline.shaOrEmpty());
        return f;
    }

    private List<Earlier> earlier(ProjectRef p, Pipeline pipeline, ToolContext ctx) {
        int n = gl.settings().historyPipelines();
        String ref = pipeline.refOrEmpty();
        if (n == 0 || ref.isEmpty()) {
            return List.of();
        }
        long id = pipeline.id() == null ? 0 : pipeline.id();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("ref", ref);
        query.put("order_by", "id");
        query.put("sort", "desc");
        List<Earlier> out = new ArrayList<>();
        for (JsonNode pl : p.client().list(p.api("/pipelines"), query, n + 5, ctx.deadline())) {
            long plId = pl.path("id").asLong();
            if (plId < id && out.size() < n) {
                out.add(new Earlier(Pipeline.of(pl), Pipelines.jobs(p, plId, ctx.deadline())));
            }
        }
        return out;
    }

    private static Map<String, String> history(PipelineJob job, Pipeline pipeline, List<Earlier> earlier) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (job.retries() > 0 && job.anyAttempt("success")) {
            facts.put(
                    "passed_on_retry",
                    "job " + job.name() + " passed on another attempt in this pipeline #"
                            + (pipeline.id() == null ? 0 : pipeline.id()));
        }
        String sha = pipeline.shaOrEmpty();
        boolean previousCommitSeen = false;
        for (Earlier e : earlier) {
            for (PipelineJob other : e.jobs()) {
                if (!other.name().equals(job.name())) {
                    continue;
                }
                String otherSha = e.pipeline().shaOrEmpty();
                if (!previousCommitSeen && !otherSha.equals(sha)) {
                    previousCommitSeen = true;
                    if (other.status().equals("success") && other.retries() == 0) {
                        facts.put(
                                "passed_on_previous_commit",
                                "job " + job.name() + " passed on the previous commit " + Json.shortSha(otherSha)
                                        + " (pipeline #"
                                        + (e.pipeline().id() == null
                                                ? 0
                                                : e.pipeline().id()) + ")");
                    }
                }
            }
        }
        return facts;
    }
}
