package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import tools.jackson.databind.node.ObjectNode;

/**
 * Base of the GitLab tools that change something: the toolkit's {@link MutatingTool} (plan, then preview on a dry
 * run or apply) with project resolution, and the instance and project first in the dry-run result.
 *
 * @param <P> what the plan carries to {@code apply}, including the project it changes
 */
public abstract class GitLabMutatingTool<P extends GitLabMutatingTool.OnProject> extends MutatingTool<P> {

    /** A plan's data: at least the project the change is made in. */
    public interface OnProject {
        ProjectRef project();
    }

    protected final GitLabContext gl;

    protected GitLabMutatingTool(GitLabContext gl, ToolDefinition definition) {
        super(definition);
        this.gl = gl;
    }

    /** The project of this call, in scope, or a {@link io.opsmcp.core.tool.ToolException}. */
    protected ProjectRef project(ObjectNode args, ToolContext ctx) {
        return gl.resolver().resolve(args, ctx.deadline());
    }

    @Override
    protected void previewDetails(PlannedChange<P> plan, ObjectNode out) {
        out.put("instance", plan.data().project().instance());
        out.put("project", plan.data().project().path());
    }
}
