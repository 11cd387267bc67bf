package io.opsmcp.tools.gitlab.projects;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the {@code project} (and optional {@code instance}) arguments into a {@link ProjectRef}, refusing projects
 * outside the configured patterns. A numeric id is looked up once ({@code GET /projects/:id}) to learn its path,
 * since scope is defined on paths. Other modules reach it through {@code api.GitLabProjects}.
 */
public final class ProjectResolver {

    private static final int MAX_CACHED_IDS = 1000;

    private final Map<String, GitLabClient> clients;
    private final Map<String, String> pathsById = new ConcurrentHashMap<>();

    /** @param clients one client per instance, in configuration order */
    public ProjectResolver(Map<String, GitLabClient> clients) {
        this.clients = clients;
    }

    /**
     * @throws ToolException {@code NOT_FOUND} for an unknown instance, {@code FORBIDDEN} for a project outside the
     *                       configured patterns, {@code INVALID_ARGUMENT} when the instance is ambiguous
     */
    public ProjectRef resolve(ObjectNode args, Instant deadline) {
        return resolve(GitLabArgs.project(args), GitLabArgs.INSTANCE.read(args), deadline);
    }

    /**
     * Resolves a project path or numeric id, on the named instance or (when {@code instanceName} is null) the one
     * whose patterns hold the path.
     *
     * @param project      a value matching {@link GitLabArgs#PROJECT_PATTERN}
     * @param instanceName an instance name, or {@code null}
     * @throws ToolException as {@link #resolve(ObjectNode, Instant)}; {@code INVALID_ARGUMENT} for a malformed project
     */
    public ProjectRef resolve(String project, String instanceName, Instant deadline) {
        if (project == null || !project.matches(GitLabArgs.PROJECT_PATTERN)) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "project '" + project + "' is neither a project path like "
                            + "shop/checkout nor a numeric project id");
        }
        GitLabClient client = instanceName != null ? byName(instanceName) : pick(project);
        String path = project.chars().allMatch(Character::isDigit) ? pathOf(client, project, deadline) : project;
        Optional<String> environment = client.instance().environmentOf(path);
        if (environment.isEmpty()) {
            throw new ToolException(
                    Kind.FORBIDDEN,
                    "project " + path + " is outside the projects configured for GitLab "
                            + "instance " + client.instance().name() + " (patterns "
                            + client.instance().patterns()
                            + "); add a gitlab.instances[].projects entry to allow it");
        }
        return new ProjectRef(client, path, environment.get());
    }

    private GitLabClient byName(String name) {
        GitLabClient client = clients.get(name);
        if (client == null) {
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "instance: no GitLab instance named '" + name + "'; configured: " + clients.keySet());
        }
        return client;
    }

    private GitLabClient pick(String project) {
        if (clients.size() == 1) {
            return clients.values().iterator().next();
        }
        if (project.chars().allMatch(Character::isDigit)) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "instance: several GitLab instances are configured " + clients.keySet()
                            + "; give `instance` with a numeric project id");
        }
        List<GitLabClient> matching = new ArrayList<>();
        for (GitLabClient c : clients.values()) {
            if (c.instance().environmentOf(project).isPresent()) {
                matching.add(c);
            }
        }
        if (matching.size() == 1) {
            return matching.get(0);
        }
        if (matching.isEmpty()) {
            throw new ToolException(
                    Kind.FORBIDDEN,
                    "project " + project + " is outside the projects configured for " + "every GitLab instance "
                            + clients.keySet());
        }
        throw new ToolException(
                Kind.INVALID_ARGUMENT,
                "instance: project " + project + " matches the patterns of " + "several instances "
                        + matching.stream().map(c -> c.instance().name()).toList() + "; give `instance`");
    }

    private String pathOf(GitLabClient client, String id, Instant deadline) {
        String key = client.instance().name() + "/" + id;
        String cached = pathsById.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode project = client.get("projects/" + id, Map.of(), deadline);
        String path = project.path("path_with_namespace").asString("");
        if (path.isEmpty()) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "GitLab " + client.instance().name() + ": project " + id + " has no path_with_namespace");
        }
        if (pathsById.size() >= MAX_CACHED_IDS) {
            pathsById.clear();
        }
        pathsById.put(key, path);
        return path;
    }
}
