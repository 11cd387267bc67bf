package io.opsmcp.tools.gitlab.jobs;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import io.opsmcp.tools.gitlab.trace.TraceReader;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Job look-ups shared by the job, analysis and fix tools (GitLab REST v4 Jobs API). */
public final class Jobs {

    private Jobs() {}

    /** {@code GET /projects/:id/jobs/:job_id}. */
    public static JsonNode job(ProjectRef p, long jobId, ToolContext ctx) {
        return p.client().get(p.api("/jobs/" + jobId), Map.of(), ctx.deadline());
    }

    /** Streams a job's trace through {@code sink}; bounded memory whatever the trace's size. */
    public static TraceReader.Stats trace(
            GitLabContext gl, ProjectRef p, long jobId, ToolContext ctx, TraceReader.LineSink sink) {
        return p.client().stream(
                p.api("/jobs/" + jobId + "/trace"),
                Map.of(),
                ctx.deadline(),
                in -> TraceReader.read(in, ctx.deadline(), gl.clock(), sink));
    }
}
