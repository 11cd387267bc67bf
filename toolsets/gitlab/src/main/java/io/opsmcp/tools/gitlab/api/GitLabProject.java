package io.opsmcp.tools.gitlab.api;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One project in the gitlab toolset's scope and the read-only GitLab REST v4 look-ups other modules need. Results
 * are GitLab's documented payloads; failures are {@link ToolException}s whose messages are safe to show a client
 * ({@code NOT_FOUND} for a 404).
 */
public final class GitLabProject {

    private final ProjectRef ref;

    GitLabProject(ProjectRef ref) {
        this.ref = ref;
    }

    /** The configured instance's name. */
    public String instance() {
        return ref.instance();
    }

    /** The full project path ({@code shop/checkout}). */
    public String path() {
        return ref.path();
    }

    /** The environment the project's scope entry gives. */
    public String environment() {
        return ref.environment();
    }

    /** {@code GET /projects/:id/repository/commits/:sha} (a full or short sha; GitLab also resolves a ref name). */
    public JsonNode commit(String sha, Instant deadline) {
        return ref.client().get(ref.api("/repository/commits/" + GitLabClient.segment(sha)), Map.of(), deadline);
    }

    /** {@code GET /projects/:id/pipelines/:pipeline_id}. */
    public JsonNode pipeline(String pipelineId, Instant deadline) {
        return ref.client().get(ref.api("/pipelines/" + GitLabClient.segment(pipelineId)), Map.of(), deadline);
    }

    /** {@code GET /projects/:id/pipelines?sha=}: the newest pipelines of a commit, at most {@code limit}. */
    public List<JsonNode> pipelinesOfCommit(String sha, int limit, Instant deadline) {
        return ref.client().list(ref.api("/pipelines"), Map.of("sha", sha), limit, deadline);
    }

    /** {@code GET /projects/:id/repository/commits/:sha/merge_requests}, at most {@code limit}. */
    public List<JsonNode> mergeRequestsOfCommit(String sha, int limit, Instant deadline) {
        return ref.client()
                .list(
                        ref.api("/repository/commits/" + GitLabClient.segment(sha) + "/merge_requests"),
                        Map.of(),
                        limit,
                        deadline);
    }
}
