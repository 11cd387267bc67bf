package io.opsmcp.tools.gitlab.projects;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabTool;
import io.opsmcp.tools.gitlab.Json;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gitlab_project(project)}: default branch, visibility, last activity. */
public final class ProjectTool extends GitLabTool {

    public ProjectTool(GitLabContext gl) {
        super(
                gl,
                ToolSpec.tool("gitlab_project")
                        .title("GitLab project")
                        .description(
                                "A project by path or id: default branch, visibility, last activity, URL and environment. "
                                        + "Checks that it is reachable and in scope.")
                        .args(GitLabArgs.PROJECT, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("id", "default_branch", "visibility", "environment"),
                                "id",
                                "integer",
                                "project id",
                                "name",
                                "string",
                                "name",
                                "path_with_namespace",
                                "string",
                                "full path",
                                "description",
                                "string",
                                "description",
                                "default_branch",
                                "string",
                                "default branch",
                                "visibility",
                                "string",
                                "private, internal or public",
                                "archived",
                                "boolean",
                                "archived",
                                "last_activity_at",
                                "string",
                                "RFC 3339",
                                "created_at",
                                "string",
                                "RFC 3339",
                                "web_url",
                                "string",
                                "URL",
                                "environment",
                                "string",
                                "its environment in ops-mcp's configuration"))
                        .readOnly()
                        .build());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return project(args, ctx).read("gitlab:project", null, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        JsonNode project = p.client().get(p.api(""), Map.of(), ctx.deadline());
        ObjectNode out = Json.result(p);
        Json.copy(
                out,
                project,
                "id",
                "name",
                "path_with_namespace",
                "description",
                "default_branch",
                "visibility",
                "archived",
                "last_activity_at",
                "created_at",
                "web_url");
        out.put("environment", p.environment());
        String text = p.path() + " (id " + Json.text(project, "id", "?") + ", environment " + p.environment()
                + ", instance " + p.instance() + ")\n"
                + "default branch: " + Json.text(project, "default_branch", "-") + "\n"
                + "visibility: " + Json.text(project, "visibility", "-")
                + (project.path("archived").asBoolean(false) ? " (archived)" : "") + "\n"
                + "last activity: " + Json.text(project, "last_activity_at", "-") + "\n"
                + "web: " + Json.text(project, "web_url", "-") + "\n";
        return ToolResult.ok(text, out);
    }
}
