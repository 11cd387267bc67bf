package io.opsmcp.tools.gitlab;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.config.GitLabInstance;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandbox;
import io.opsmcp.tools.gitlab.tools.GitLabToolset;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ServiceLoader entry point of the {@code gitlab} toolset. Reads the {@code gitlab:} section (format in
 * {@code toolsets/gitlab/README.md}); tokens come from the environment variables or files it names.
 */
public final class GitLabToolsetProvider implements OpsToolsetProvider {

    @Override
    public String name() {
        return GitLabToolset.NAME;
    }

    @Override
    public String description() {
        return GitLabToolset.DESCRIPTION;
    }

    /**
     * @throws IllegalArgumentException naming the setting, e.g. {@code gitlab.instances[0].token: a token must not
     *                                  be written in the configuration file; …}, or when a token cannot be read
     */
    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        GitLabSettings config = GitLabSettings.parse(settings, System::getenv, Path.of(System.getProperty("user.home")));
        return create(config, Clock.systemUTC(), GitLabClient.Sleeper.REAL);
    }

    /** Builds the toolset from parsed settings; checks every instance's token can be read. */
    public static GitLabToolset create(GitLabSettings config, Clock clock, GitLabClient.Sleeper sleeper) {
        RuleLibrary rules = RuleLibrary.load(config.rulesFiles());
        return new GitLabToolset(config, clients(config, clock, sleeper), rules, clock);
    }

    /**
     * One client per configured instance, keyed by instance name in configuration order; checks every instance's
     * token can be read. Also used by modules that call GitLab under this toolset's configuration.
     *
     * @throws IllegalArgumentException naming the instance whose token cannot be read
     */
    public static Map<String, GitLabClient> clients(GitLabSettings config, Clock clock, GitLabClient.Sleeper sleeper) {
        JsonMapper json = JsonMapper.builder().build();
        var http = GitLabClient.httpClient(config.requestTimeout());
        Map<String, GitLabClient> clients = new LinkedHashMap<>();
        for (int i = 0; i < config.instances().size(); i++) {
            GitLabInstance instance = config.instances().get(i);
            try {
                instance.token().read();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("gitlab.instances[" + i + "] (" + instance.name() + "): "
                        + e.getMessage());
            }
            clients.put(instance.name(), new GitLabClient(instance, http, config.requestTimeout(), config.maxRetries(),
                    config.maxRetryWait(), sleeper, clock, json));
        }
        return clients;
    }

    /** Starts the simulated GitLab instance {@value GitLabSandbox#INSTANCE} (WireMock on 127.0.0.1). */
    @Override
    public Optional<ToolsetSandbox> startSandbox(Path dir) {
        return Optional.of(GitLabSandbox.start(dir));
    }

    @Override
    public java.util.List<io.opsmcp.core.redact.RedactionRule> redactionRules() {
        return GitLabRedaction.RULES;
    }
}
