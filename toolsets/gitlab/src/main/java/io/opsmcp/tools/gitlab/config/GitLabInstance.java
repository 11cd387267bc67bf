package io.opsmcp.tools.gitlab.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured GitLab instance.
 *
 * @param name     name used in tool arguments ({@code instance}) and in the action descriptor
 * @param baseUrl  the instance's root URL without {@code /api/v4} (e.g. {@code https://gitlab.example.com})
 * @param token    where the access token comes from
 * @param projects which project paths belong to which environment; first match wins, a path no entry matches
 *                 is out of scope
 */
public record GitLabInstance(String name, URI baseUrl, TokenSource token, List<ProjectScope> projects) {

    public GitLabInstance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
        projects = List.copyOf(projects);
    }

    /** The environment of a project path, or empty when the path is outside every configured pattern. */
    public Optional<String> environmentOf(String projectPath) {
        for (ProjectScope scope : projects) {
            if (scope.matches(projectPath)) {
                return Optional.of(scope.environment());
            }
        }
        return Optional.empty();
    }

    /** The configured patterns, for messages. */
    public List<String> patterns() {
        return projects.stream().map(ProjectScope::pattern).toList();
    }
}
