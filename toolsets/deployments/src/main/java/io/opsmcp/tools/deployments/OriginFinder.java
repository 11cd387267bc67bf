package io.opsmcp.tools.deployments;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.deployments.SourceHints.Hint;
import io.opsmcp.tools.gitlab.api.GitLabProject;
import io.opsmcp.tools.gitlab.api.GitLabProjects;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds a running revision's commit, the pipeline that built it and the merge request that brought it, under the
 * gitlab toolset's project scope. GitLab REST v4: {@code GET /projects/:id/repository/commits/:sha},
 * {@code GET /projects/:id/pipelines?sha=}, {@code GET /projects/:id/pipelines/:pipeline_id},
 * {@code GET /projects/:id/repository/commits/:sha/merge_requests}.
 */
final class OriginFinder {

    private static final int MAX_LISTED = 20;

    private final GitLabProjects gitlab;

    OriginFinder(GitLabProjects gitlab) {
        this.gitlab = gitlab;
    }

    /**
     * What was found and everything looked up on the way.
     *
     * @param project    the project the commit was found in, or null
     * @param commit     GitLab commit JSON, or null when not found
     * @param pipeline   GitLab pipeline JSON, or null
     * @param pipelineBy how the pipeline was chosen
     * @param mergeRequest GitLab merge request JSON, or null
     * @param lookedUp   each look-up in order with its outcome
     */
    record Origin(
            GitLabProject project,
            JsonNode commit,
            JsonNode pipeline,
            String pipelineBy,
            JsonNode mergeRequest,
            List<String> lookedUp) {

        boolean found() {
            return commit != null;
        }
    }

    /**
     * @throws ToolException FORBIDDEN when a tag or the argument names a project outside the configured scope;
     *                       failures of the commit look-up other than 404
     */
    Origin find(RunningRevision rev, SourceHints hints, Instant deadline) {
        List<String> looked = new ArrayList<>();
        looked.add("task definition " + rev.taskDefinition() + " tags: " + describe(rev.taskDefinitionTags()));
        looked.add("service tags: " + describe(rev.serviceTags()));
        Hint commitHint = hints.commit();
        if (commitHint == null) {
            looked.add("image tag "
                    + (rev.image().tag() == null ? "(none)" : rev.image().tag())
                    + ": not a commit sha (7 to 40 hex digits), and no " + SourceHints.COMMIT_TAG + " tag");
            return new Origin(null, null, null, null, null, looked);
        }
        List<GitLabProject> projects = new ArrayList<>();
        if (hints.project() != null) {
            Hint hint = hints.project();
            try {
                projects.add(gitlab.resolve(hint.value(), deadline));
            } catch (ToolException e) {
                throw new ToolException(
                        e.kind(), hint.from() + " names project " + hint.value() + ": " + e.getMessage());
            }
        } else {
            for (String candidate : rev.image().projectCandidates()) {
                try {
                    projects.add(gitlab.resolve(candidate, deadline));
                } catch (ToolException e) {
                    looked.add(
                            "project " + candidate + " (from the image repository): not looked up: " + e.getMessage());
                }
            }
            if (projects.isEmpty()) {
                looked.add("no " + SourceHints.PROJECT_TAG + " tag, no project argument, and the image repository "
                        + rev.image().repository() + " names no configured GitLab project");
                return new Origin(null, null, null, null, null, looked);
            }
        }
        for (GitLabProject project : projects) {
            JsonNode commit = commit(project, commitHint, looked, deadline);
            if (commit != null) {
                String sha = commit.path("id").asString();
                Pipeline pipeline = pipeline(project, sha, hints.pipeline(), looked, deadline);
                JsonNode mr = mergeRequest(project, sha, looked, deadline);
                return new Origin(project, commit, pipeline.json(), pipeline.by(), mr, looked);
            }
        }
        return new Origin(null, null, null, null, null, looked);
    }

    private JsonNode commit(GitLabProject project, Hint hint, List<String> looked, Instant deadline) {
        String what = "commit " + hint.value() + " (" + hint.from() + ") in " + project.path();
        JsonNode commit;
        try {
            commit = project.commit(hint.value(), deadline);
        } catch (ToolException e) {
            if (e.kind() != Kind.NOT_FOUND) {
                throw e;
            }
            looked.add(what + ": not found");
            return null;
        }
        if (!commit.path("id").asString("").startsWith(hint.value())) {
            looked.add(
                    what + ": GitLab answered with commit " + commit.path("id").asString("?")
                            + ", which does not start with it (a branch or tag of that name?); ignored");
            return null;
        }
        looked.add(what + ": found " + commit.path("id").asString());
        return commit;
    }

    private record Pipeline(JsonNode json, String by) {}

    private Pipeline pipeline(GitLabProject project, String sha, Hint hint, List<String> looked, Instant deadline) {
        if (hint != null) {
            String what = "pipeline " + hint.value() + " (" + hint.from() + ")";
            try {
                JsonNode p = project.pipeline(hint.value(), deadline);
                if (sha.equals(p.path("sha").asString(""))) {
                    looked.add(what + ": found, ran for the commit");
                    return new Pipeline(p, hint.from());
                }
                looked.add(what + ": ran for commit " + p.path("sha").asString("?") + ", not " + sha + "; ignored");
            } catch (ToolException e) {
                looked.add(what + ": " + e.getMessage());
            }
        }
        List<JsonNode> all;
        try {
            all = project.pipelinesOfCommit(sha, MAX_LISTED, deadline);
        } catch (ToolException e) {
            looked.add("pipelines for " + sha + ": " + e.getMessage());
            return new Pipeline(null, null);
        }
        List<JsonNode> forCommit =
                all.stream().filter(p -> sha.equals(p.path("sha").asString(""))).toList();
        looked.add("pipelines for " + shortSha(sha) + ": " + forCommit.size());
        for (JsonNode p : forCommit) {
            if ("success".equals(p.path("status").asString(""))) {
                return new Pipeline(p, "newest successful pipeline of the commit");
            }
        }
        return forCommit.isEmpty()
                ? new Pipeline(null, null)
                : new Pipeline(forCommit.get(0), "newest pipeline of the commit (none succeeded)");
    }

    private JsonNode mergeRequest(GitLabProject project, String sha, List<String> looked, Instant deadline) {
        List<JsonNode> mrs;
        try {
            mrs = project.mergeRequestsOfCommit(sha, MAX_LISTED, deadline);
        } catch (ToolException e) {
            looked.add("merge requests of " + shortSha(sha) + ": " + e.getMessage());
            return null;
        }
        looked.add("merge requests of " + shortSha(sha) + ": " + mrs.size());
        for (String state : List.of("merged", "opened")) {
            for (JsonNode mr : mrs) {
                if (state.equals(mr.path("state").asString(""))) {
                    return mr;
                }
            }
        }
        return mrs.isEmpty() ? null : mrs.get(0);
    }

    static String shortSha(String sha) {
        return sha.length() > 8 ? sha.substring(0, 8) : sha;
    }

    private static String describe(Map<String, String> tags) {
        List<String> ours = tags.entrySet().stream()
                .filter(e -> e.getKey().startsWith("gitlab."))
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
        return ours.isEmpty() ? "no gitlab.* tags" : String.join(", ", ours);
    }
}
