package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.client.GitLabClients;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import tools.jackson.databind.JsonNode;

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
    public Set<String> settingsSections() {
        return Set.of("gitlab");
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
        GitLabSettings config =
                GitLabSettings.parse(settings, System::getenv, Path.of(System.getProperty("user.home")));
        return create(config, Clock.systemUTC(), GitLabClient.Sleeper.REAL);
    }

    /** Builds the toolset from parsed settings; checks every instance's token can be read. */
    static GitLabToolset create(GitLabSettings config, Clock clock, GitLabClient.Sleeper sleeper) {
        RuleLibrary rules = RuleLibrary.load(config.rulesFiles());
        return new GitLabToolset(config, GitLabClients.create(config, clock, sleeper), rules, clock);
    }

    @Override
    public java.util.List<io.opsmcp.core.redact.RedactionRule> redactionRules() {
        return GitLabRedaction.RULES;
    }
}
