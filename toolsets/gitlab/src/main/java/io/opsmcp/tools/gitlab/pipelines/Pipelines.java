package io.opsmcp.tools.gitlab.pipelines;

import io.opsmcp.tools.gitlab.client.GitLabApiException;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Pipeline lookups shared by the pipeline, analysis and fix tools (GitLab REST v4: Pipelines API, Jobs API
 * {@code GET /projects/:id/pipelines/:pipeline_id/jobs?include_retried=true}, Commits API
 * {@code GET /projects/:id/repository/commits/:sha/merge_requests}).
 */
public final class Pipelines {

    private static final int MAX_JOBS = 1000;
    private static final Pattern MR_REF = Pattern.compile("^refs/merge-requests/(\\d+)/(?:head|merge|train)$");

    private Pipelines() {}

    public static JsonNode pipeline(ProjectRef p, long id, Instant deadline) {
        return p.client().get(p.api("/pipelines/" + id), Map.of(), deadline);
    }

    /** The pipeline's jobs by name, in stage order (stages ordered by their first job's id). */
    public static List<PipelineJob> jobs(ProjectRef p, long pipelineId, Instant deadline) {
        List<JsonNode> all = p.client()
                .list(
                        p.api("/pipelines/" + pipelineId + "/jobs"),
                        Map.of("include_retried", "true"),
                        MAX_JOBS,
                        deadline);
        return group(all);
    }

    public static List<PipelineJob> group(List<JsonNode> all) {
        List<JsonNode> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(j -> j.path("id").asLong()));
        Map<String, List<JsonNode>> byName = new LinkedHashMap<>();
        for (JsonNode j : sorted) {
            byName.computeIfAbsent(j.path("name").asString(""), k -> new ArrayList<>())
                    .add(j);
        }
        List<PipelineJob> jobs = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> e : byName.entrySet()) {
            List<JsonNode> attempts = e.getValue();
            JsonNode latest = attempts.stream()
                    .filter(a -> !a.path("retried").asBoolean(false))
                    .reduce((a, b) -> b)
                    .orElse(attempts.get(attempts.size() - 1));
            jobs.add(new PipelineJob(e.getKey(), latest.path("stage").asString(""), latest, List.copyOf(attempts)));
        }
        Map<String, Long> stageOrder = new LinkedHashMap<>();
        for (JsonNode j : sorted) {
            stageOrder.putIfAbsent(j.path("stage").asString(""), j.path("id").asLong());
        }
        jobs.sort(Comparator.comparingLong((PipelineJob j) -> stageOrder.getOrDefault(j.stage(), 0L))
                .thenComparingLong(j -> j.attempts().get(0).path("id").asLong()));
        return jobs;
    }

    /** The merge request iid a pipeline's ref names ({@code refs/merge-requests/7/head}), or {@code null}. */
    public static Long mergeRequestIid(String ref) {
        Matcher m = MR_REF.matcher(ref == null ? "" : ref);
        return m.matches() ? Long.valueOf(m.group(1)) : null;
    }

    /**
     * The merge request a pipeline ran for: the one its ref names, else the first merge request containing its
     * commit; {@code null} when there is none (or GitLab does not say).
     */
    public static JsonNode mergeRequest(ProjectRef p, JsonNode pipeline, Instant deadline) {
        Long iid = mergeRequestIid(pipeline.path("ref").asString(""));
        try {
            if (iid != null) {
                return p.client().get(p.api("/merge_requests/" + iid), Map.of(), deadline);
            }
            String sha = pipeline.path("sha").asString("");
            if (sha.isEmpty()) {
                return null;
            }
            List<JsonNode> mrs =
                    p.client().list(p.api("/repository/commits/" + sha + "/merge_requests"), Map.of(), 5, deadline);
            return mrs.isEmpty() ? null : mrs.get(0);
        } catch (GitLabApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The commit a pipeline ran for, or {@code null} when GitLab no longer has it. */
    public static JsonNode commit(ProjectRef p, String sha, Instant deadline) {
        if (sha == null || sha.isEmpty()) {
            return null;
        }
        try {
            return p.client().get(p.api("/repository/commits/" + sha), Map.of(), deadline);
        } catch (GitLabApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Seconds as {@code 1m 05s}. */
    public static String duration(JsonNode seconds) {
        if (seconds == null || !seconds.isNumber()) {
            return "-";
        }
        long s = Math.round(seconds.asDouble());
        return s >= 60 ? (s / 60) + "m " + String.format("%02ds", s % 60) : s + "s";
    }
}
