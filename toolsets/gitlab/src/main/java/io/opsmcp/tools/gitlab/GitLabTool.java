package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import tools.jackson.databind.node.ObjectNode;

/** Base of the GitLab tools: the definition, the shared context and project resolution. */
public abstract class GitLabTool implements OpsTool {

    protected final GitLabContext gl;
    private final ToolDefinition definition;

    protected GitLabTool(GitLabContext gl, ToolDefinition definition) {
        this.gl = gl;
        this.definition = definition;
    }

    @Override
    public final ToolDefinition definition() {
        return definition;
    }

    /** The project of this call, in scope, or a {@link io.opsmcp.core.tool.ToolException}. */
    protected ProjectRef project(ObjectNode args, ToolContext ctx) {
        return gl.resolver().resolve(args, ctx.deadline());
    }
}
