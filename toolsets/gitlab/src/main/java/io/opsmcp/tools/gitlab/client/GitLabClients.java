package io.opsmcp.tools.gitlab.client;

import io.opsmcp.tools.gitlab.config.GitLabInstance;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Builds the clients of the configured instances (one HTTP client shared by all of them). */
public final class GitLabClients {

    private GitLabClients() {}

    /**
     * One client per configured instance, keyed by instance name in configuration order; checks every instance's
     * token can be read.
     *
     * @throws IllegalArgumentException naming the instance whose token cannot be read
     */
    public static Map<String, GitLabClient> create(GitLabSettings config, Clock clock, GitLabClient.Sleeper sleeper) {
        JsonMapper json = JsonMapper.builder().build();
        var http = GitLabClient.httpClient(config.requestTimeout());
        Map<String, GitLabClient> clients = new LinkedHashMap<>();
        for (int i = 0; i < config.instances().size(); i++) {
            GitLabInstance instance = config.instances().get(i);
            try {
                instance.token().read();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(
                        "gitlab.instances[" + i + "] (" + instance.name() + "): " + e.getMessage());
            }
            clients.put(
                    instance.name(),
                    new GitLabClient(
                            instance,
                            http,
                            config.requestTimeout(),
                            config.maxRetries(),
                            config.maxRetryWait(),
                            sleeper,
                            clock,
                            json));
        }
        return clients;
    }
}
