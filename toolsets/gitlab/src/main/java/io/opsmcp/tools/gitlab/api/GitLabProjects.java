package io.opsmcp.tools.gitlab.api;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.client.GitLabClients;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.projects.ProjectResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * The published facade of the gitlab toolset for modules that read GitLab under its configuration (tools-deployments):
 * the same {@code gitlab:} section, tokens and project scope as the toolset's own tools. Everything else in this
 * module is internal.
 */
public final class GitLabProjects {

    /** What {@link #resolve} accepts as a project: a path such as {@code shop/checkout} or a numeric project id. */
    public static final String PROJECT_PATTERN = GitLabArgs.PROJECT_PATTERN;
    /** The short pattern schemas publish for a project path; {@link #PROJECT_PATTERN} is what is enforced. */
    public static final String PROJECT_SCHEMA_PATTERN = GitLabArgs.PROJECT_SCHEMA_PATTERN;

    private final ProjectResolver resolver;

    private GitLabProjects(ProjectResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Reads the {@code gitlab:} section of the whole configuration with the toolset's parser; tokens come from the
     * environment variables or files it names.
     *
     * @throws IllegalArgumentException naming the setting that is missing or invalid, or the instance whose token
     *                                  cannot be read
     */
    public static GitLabProjects fromSettings(JsonNode settings) {
        GitLabSettings config =
                GitLabSettings.parse(settings, System::getenv, Path.of(System.getProperty("user.home")));
        return new GitLabProjects(
                new ProjectResolver(GitLabClients.create(config, Clock.systemUTC(), GitLabClient.Sleeper.REAL)));
    }

    /**
     * The project a path or numeric id names, on the instance whose patterns hold it.
     *
     * @throws ToolException {@code INVALID_ARGUMENT} for a malformed value or an ambiguous instance,
     *                       {@code FORBIDDEN} for a project outside the configured patterns
     */
    public GitLabProject resolve(String project, Instant deadline) {
        return new GitLabProject(resolver.resolve(project, null, deadline));
    }
}
