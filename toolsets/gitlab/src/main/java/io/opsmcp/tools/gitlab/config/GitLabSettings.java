package io.opsmcp.tools.gitlab.config;

import io.opsmcp.toolkit.config.ConfigBinding;
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
public record GitLabSettings(
        List<GitLabInstance> instances,
        int defaultLogLines,
        int maxLogLines,
        Duration requestTimeout,
        int maxRetries,
        Duration maxRetryWait,
        List<Path> rulesFiles,
        int historyPipelines,
        int maxAnalyzedJobs) {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");
    private static final Pattern ENV_VAR = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
    private static final Pattern GLOB = Pattern.compile("^[A-Za-z0-9_.*?/-]{1,255}$");
    private static final Pattern ENVIRONMENT = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,31}$");
    private static final Set<String> LITERAL_TOKEN_KEYS =
            Set.of("token", "private_token", "access_token", "personal_access_token", "password", "job_token");

    public GitLabSettings {
        instances = List.copyOf(instances);
        rulesFiles = List.copyOf(rulesFiles);
    }

    /**
     * The {@code gitlab:} section as written, bound by {@link ConfigBinding} (unknown keys rejected, naming the
     * valid ones); absent numbers take their defaults. The records check the values given; what must be present is
     * checked after binding, so a misspelt key is reported as such rather than as the setting it failed to give.
     */
    record Section(
            List<InstanceSection> instances,
            Integer defaultLogLines,
            Integer maxLogLines,
            Integer requestTimeoutSeconds,
            Integer maxRetries,
            Integer maxRetryWaitSeconds,
            List<String> rulesFiles,
            Integer historyPipelines,
            Integer maxAnalyzedJobs) {

        Section {
            maxLogLines = range("max_log_lines", maxLogLines, 1, 100_000, 2000);
            defaultLogLines = range("default_log_lines", defaultLogLines, 1, maxLogLines, Math.min(300, maxLogLines));
            requestTimeoutSeconds = range("request_timeout_seconds", requestTimeoutSeconds, 1, 600, 30);
            maxRetries = range("max_retries", maxRetries, 0, 10, 3);
            maxRetryWaitSeconds = range("max_retry_wait_seconds", maxRetryWaitSeconds, 1, 600, 60);
            historyPipelines = range("history_pipelines", historyPipelines, 0, 20, 5);
            maxAnalyzedJobs = range("max_analyzed_jobs", maxAnalyzedJobs, 1, 50, 10);
            rulesFiles = rulesFiles == null ? List.of() : List.copyOf(rulesFiles);
            for (int i = 0; i < rulesFiles.size(); i++) {
                if (rulesFiles.get(i) == null || rulesFiles.get(i).isBlank()) {
                    throw new IllegalArgumentException("rules_files[" + i + "]: must be a file path");
                }
            }
            instances = instances == null ? List.of() : List.copyOf(instances);
        }
    }

    /** One {@code instances} entry as written. */
    record InstanceSection(
            String name, String baseUrl, String tokenEnv, String tokenFile, List<ScopeSection> projects) {

        InstanceSection {
            if (name != null && !NAME.matcher(name.strip()).matches()) {
                throw new IllegalArgumentException("name: '" + name + "' must match " + NAME.pattern());
            }
            if (tokenEnv != null && tokenFile != null) {
                throw new IllegalArgumentException("token_env: set either token_env or token_file, not both");
            }
            if (tokenEnv != null) {
                tokenEnv = required("token_env", tokenEnv);
            }
            if (tokenEnv != null && !ENV_VAR.matcher(tokenEnv).matches()) {
                throw new IllegalArgumentException("token_env: must name an environment variable "
                        + "(letters, digits, underscore, e.g. GITLAB_TOKEN), not hold the token itself");
            }
            if (tokenFile != null) {
                tokenFile = required("token_file", tokenFile);
            }
            projects = projects == null ? List.of() : List.copyOf(projects);
        }
    }

    /** One {@code projects} entry as written. */
    record ScopeSection(String pattern, String environment) {

        ScopeSection {
            if (pattern != null
                    && (!GLOB.matcher(pattern).matches() || pattern.startsWith("/") || pattern.endsWith("/"))) {
                throw new IllegalArgumentException("pattern: '" + pattern + "' must be a project path glob such as"
                        + " shop/* or platform/** (letters, digits, _ . - / * ?; no leading or trailing /)");
            }
            if (environment != null && !ENVIRONMENT.matcher(environment).matches()) {
                throw new IllegalArgumentException(
                        "environment: '" + environment + "' must match " + ENVIRONMENT.pattern());
            }
        }
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
        refuseLiteralTokens(section);
        Section raw = ConfigBinding.bind(section, "gitlab", Section.class);
        List<Path> rules = raw.rulesFiles().stream().map(f -> path(f, home)).toList();
        if (raw.instances().isEmpty()) {
            throw new IllegalArgumentException("gitlab.instances: must be a non-empty list of GitLab instances");
        }
        List<GitLabInstance> instances = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < raw.instances().size(); i++) {
            InstanceSection in = raw.instances().get(i);
            String where = "gitlab.instances[" + i + "]";
            if (in == null) {
                throw new IllegalArgumentException(where + ": must be a mapping");
            }
            String name = required(where + ".name", in.name());
            String url = required(where + ".base_url", in.baseUrl());
            if (in.tokenEnv() == null && in.tokenFile() == null) {
                throw new IllegalArgumentException(where + ": needs token_env (an environment variable holding the "
                        + "access token) or token_file (a file holding it)");
            }
            if (in.projects().isEmpty()) {
                throw new IllegalArgumentException(where + ".projects: must be a non-empty list of {pattern, "
                        + "environment}; projects outside these patterns are refused");
            }
            List<ProjectScope> scopes = new ArrayList<>();
            for (int j = 0; j < in.projects().size(); j++) {
                ScopeSection scope = in.projects().get(j);
                String at = where + ".projects[" + j + "]";
                if (scope == null) {
                    throw new IllegalArgumentException(at + ": must be a mapping");
                }
                scopes.add(new ProjectScope(
                        required(at + ".pattern", scope.pattern()),
                        required(at + ".environment", scope.environment())));
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(
                        where + ".name: '" + name + "' is used by another instance; names must be unique");
            }
            TokenSource token = in.tokenEnv() != null
                    ? new TokenSource.Env(in.tokenEnv(), environment)
                    : new TokenSource.File(path(in.tokenFile(), home));
            instances.add(new GitLabInstance(name, baseUrl(url, where + ".base_url"), token, scopes));
        }
        return new GitLabSettings(
                instances,
                raw.defaultLogLines(),
                raw.maxLogLines(),
                Duration.ofSeconds(raw.requestTimeoutSeconds()),
                raw.maxRetries(),
                Duration.ofSeconds(raw.maxRetryWaitSeconds()),
                rules,
                raw.historyPipelines(),
                raw.maxAnalyzedJobs());
    }

    /**
     * A token written into the file is refused before binding, with its own message (binding would call it an
     * unknown setting), and without echoing the value.
     */
    private static void refuseLiteralTokens(JsonNode section) {
        JsonNode list = section.get("instances");
        if (list == null || !list.isArray()) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            if (!node.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (LITERAL_TOKEN_KEYS.contains(e.getKey())) {
                    throw new IllegalArgumentException("gitlab.instances[" + i + "]." + e.getKey() + ": a token must "
                            + "not be written in the configuration file; put it in an environment variable and name it "
                            + "with token_env, or in a file readable only by the server and name it with token_file");
                }
            }
        }
    }

    private static URI baseUrl(String value, String where) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a URL");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(where + ": must be an http(s) URL such as https://gitlab.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    where + ": must not contain user information (credentials belong in " + "token_env or token_file)");
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

    private static Path path(String value, Path home) {
        return value.startsWith("~/") ? home.resolve(value.substring(2)) : Path.of(value);
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": is required and must be a non-empty string");
        }
        return value.strip();
    }

    private static int range(String key, Integer value, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + ": must be an integer " + min + ".." + max + ", not " + value);
        }
        return value;
    }
}
