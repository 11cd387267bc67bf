package io.opsmcp.tools.gitlab.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The {@code gitlab:} section of {@code ops-mcp.yaml} (format and example in {@code toolsets/gitlab/README.md}).
 *
 * @param instances             configured instances, names unique
 * @param defaultLogLines       tail length of {@code gitlab_job_log} when the client gives none
 * @param maxLogLines           largest {@code tail_lines} a client may ask for
 * @param requestTimeout        per HTTP request
 * @param maxRetries            retries of one request after 429 / 5xx / connection failure
 * @param maxRetryWait          longest single wait before a retry (a longer {@code Retry-After} fails the call)
 * @param rulesFiles            operators' failure-rule files, loaded after the built-in library
 * @param historyPipelines      earlier pipelines on the same ref looked at for flaky-test evidence
 * @param maxAnalyzedJobs       failed jobs analysed per pipeline (the rest are listed, not fetched)
 */
public record GitLabSettings(List<GitLabInstance> instances, int defaultLogLines, int maxLogLines,
                             Duration requestTimeout, int maxRetries, Duration maxRetryWait, List<Path> rulesFiles,
                             int historyPipelines, int maxAnalyzedJobs) {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");
    private static final Pattern ENV_VAR = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
    private static final Pattern GLOB = Pattern.compile("^[A-Za-z0-9_.*?/-]{1,255}$");
    private static final Pattern ENVIRONMENT = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,31}$");
    private static final Set<String> LITERAL_TOKEN_KEYS =
            Set.of("token", "private_token", "access_token", "personal_access_token", "password", "job_token");
    private static final Set<String> SECTION_KEYS = Set.of("instances", "default_log_lines", "max_log_lines",
            "request_timeout_seconds", "max_retries", "max_retry_wait_seconds", "rules_files", "history_pipelines",
            "max_analyzed_jobs");
    private static final Set<String> INSTANCE_KEYS = Set.of("name", "base_url", "token_env", "token_file", "projects");
    private static final Set<String> SCOPE_KEYS = Set.of("pattern", "environment");

    public GitLabSettings {
        instances = List.copyOf(instances);
        rulesFiles = List.copyOf(rulesFiles);
    }

    /**
     * Reads the {@code gitlab:} section of the whole configuration tree.
     *
     * @param settings    the whole configuration
     * @param environment environment variable lookup (for {@code token_env})
     * @param home        the user's home directory ({@code ~/} in paths)
     * @throws IllegalArgumentException naming the setting and the rule it breaks, e.g.
     *                                  {@code gitlab.instances[0].token: ...}
     */
    public static GitLabSettings parse(JsonNode settings, Function<String, String> environment, Path home) {
        JsonNode section = settings == null ? null : settings.get("gitlab");
        if (section == null || section.isNull() || section.isMissingNode()) {
            throw new IllegalArgumentException("gitlab: the gitlab toolset is enabled but there is no gitlab section;"
                    + " add gitlab.instances (see toolsets/gitlab/README.md)");
        }
        requireObject(section, "gitlab");
        checkKeys(section, "gitlab", SECTION_KEYS);
        int maxLogLines = integer(section, "gitlab.max_log_lines", "max_log_lines", 1, 100_000, 2000);
        int defaultLogLines = integer(section, "gitlab.default_log_lines", "default_log_lines", 1, maxLogLines,
                Math.min(300, maxLogLines));
        int timeout = integer(section, "gitlab.request_timeout_seconds", "request_timeout_seconds", 1, 600, 30);
        int retries = integer(section, "gitlab.max_retries", "max_retries", 0, 10, 3);
        int retryWait = integer(section, "gitlab.max_retry_wait_seconds", "max_retry_wait_seconds", 1, 600, 60);
        int history = integer(section, "gitlab.history_pipelines", "history_pipelines", 0, 20, 5);
        int analyzed = integer(section, "gitlab.max_analyzed_jobs", "max_analyzed_jobs", 1, 50, 10);

        List<Path> rules = new ArrayList<>();
        JsonNode rulesNode = section.get("rules_files");
        if (rulesNode != null && !rulesNode.isNull()) {
            if (!rulesNode.isArray()) {
                throw new IllegalArgumentException("gitlab.rules_files: must be a list of file paths");
            }
            for (int i = 0; i < rulesNode.size(); i++) {
                rules.add(path(rulesNode.get(i), "gitlab.rules_files[" + i + "]", home));
            }
        }

        JsonNode list = section.get("instances");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("gitlab.instances: must be a non-empty list of GitLab instances");
        }
        List<GitLabInstance> instances = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            GitLabInstance instance = instance(list.get(i), "gitlab.instances[" + i + "]", environment, home);
            if (!names.add(instance.name())) {
                throw new IllegalArgumentException("gitlab.instances[" + i + "].name: '" + instance.name()
                        + "' is used by another instance; names must be unique");
            }
            instances.add(instance);
        }
        return new GitLabSettings(instances, defaultLogLines, maxLogLines, Duration.ofSeconds(timeout), retries,
                Duration.ofSeconds(retryWait), rules, history, analyzed);
    }

    private static GitLabInstance instance(JsonNode node, String where, Function<String, String> environment,
                                           Path home) {
        requireObject(node, where);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (LITERAL_TOKEN_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(where + "." + e.getKey() + ": a token must not be written in the "
                        + "configuration file; put it in an environment variable and name it with token_env, or in a "
                        + "file readable only by the server and name it with token_file");
            }
        }
        checkKeys(node, where, INSTANCE_KEYS);
        String name = string(node, where + ".name", "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ".name: '" + name + "' must match " + NAME.pattern());
        }
        URI baseUrl = baseUrl(string(node, where + ".base_url", "base_url"), where + ".base_url");
        JsonNode env = node.get("token_env");
        JsonNode file = node.get("token_file");
        TokenSource token;
        if (env != null && file != null) {
            throw new IllegalArgumentException(where + ": set either token_env or token_file, not both");
        } else if (env != null) {
            String variable = string(node, where + ".token_env", "token_env");
            if (!ENV_VAR.matcher(variable).matches()) {
                throw new IllegalArgumentException(where + ".token_env: must name an environment variable "
                        + "(letters, digits, underscore, e.g. GITLAB_TOKEN), not hold the token itself");
            }
            token = new TokenSource.Env(variable, environment);
        } else if (file != null) {
            token = new TokenSource.File(path(file, where + ".token_file", home));
        } else {
            throw new IllegalArgumentException(where + ": needs token_env (an environment variable holding the "
                    + "access token) or token_file (a file holding it)");
        }
        JsonNode projects = node.get("projects");
        if (projects == null || !projects.isArray() || projects.isEmpty()) {
            throw new IllegalArgumentException(where + ".projects: must be a non-empty list of {pattern, environment};"
                    + " projects outside these patterns are refused");
        }
        List<ProjectScope> scopes = new ArrayList<>();
        for (int i = 0; i < projects.size(); i++) {
            String at = where + ".projects[" + i + "]";
            JsonNode p = projects.get(i);
            requireObject(p, at);
            checkKeys(p, at, SCOPE_KEYS);
            String pattern = string(p, at + ".pattern", "pattern");
            if (!GLOB.matcher(pattern).matches() || pattern.startsWith("/") || pattern.endsWith("/")) {
                throw new IllegalArgumentException(at + ".pattern: '" + pattern + "' must be a project path glob such as"
                        + " shop/* or platform/** (letters, digits, _ . - / * ?; no leading or trailing /)");
            }
            String environmentName = string(p, at + ".environment", "environment");
            if (!ENVIRONMENT.matcher(environmentName).matches()) {
                throw new IllegalArgumentException(at + ".environment: '" + environmentName + "' must match "
                        + ENVIRONMENT.pattern());
            }
            scopes.add(new ProjectScope(pattern, environmentName));
        }
        return new GitLabInstance(name, baseUrl, token, scopes);
    }

    private static URI baseUrl(String value, String where) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(where + ": must be an http(s) URL such as https://gitlab.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(where + ": must not contain user information (credentials belong in "
                    + "token_env or token_file)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(where + ": must not have a query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/api/v4")) {
            path = path.substring(0, path.length() - "/api/v4".length());
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
    }

    private static Path path(JsonNode node, String where, Path home) {
        if (node == null || !node.isString() || node.asString().isBlank()) {
            throw new IllegalArgumentException(where + ": must be a file path");
        }
        String value = node.asString();
        return value.startsWith("~/") ? home.resolve(value.substring(2)) : Path.of(value);
    }

    private static void requireObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
    }

    private static void checkKeys(JsonNode node, String where, Set<String> allowed) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                throw new IllegalArgumentException(where + "." + e.getKey() + ": unknown setting; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static String string(JsonNode node, String where, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isString() || v.asString().isBlank()) {
            throw new IllegalArgumentException(where + ": is required and must be a non-empty string");
        }
        return v.asString().strip();
    }

    private static int integer(JsonNode node, String where, String key, int min, int max, int fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new IllegalArgumentException(where + ": must be an integer " + min + ".." + max + ", not " + v);
        }
        return v.asInt();
    }
}
