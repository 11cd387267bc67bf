package io.opsmcp.tools.deployments;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import io.opsmcp.guard.redact.Redactor;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.tools.aws.Accounts;
import io.opsmcp.tools.aws.client.AwsClients;
import io.opsmcp.tools.aws.config.AwsConfig;
import io.opsmcp.tools.gitlab.GitLabToolsetProvider;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.tools.ProjectResolver;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the {@code deployments} toolset. Enabled by naming it in {@code toolsets} (it reaches
 * into two outside systems, so it is never on by itself). It has no settings of its own: it reads the {@code aws:}
 * and {@code gitlab:} sections with those toolsets' parsers, so accounts, regions, instances, tokens and project
 * scopes are the same ones. No sandbox of its own: with {@code --sandbox} the aws and gitlab sandboxes (when those
 * toolsets are enabled too) provide the simulated service and project.
 */
public final class DeploymentsToolsetProvider implements OpsToolsetProvider {

    @Override
    public String name() {
        return DeploymentsToolset.NAME;
    }

    @Override
    public String description() {
        return DeploymentsToolset.DESCRIPTION;
    }

    /**
     * @throws IllegalArgumentException naming what is missing ({@code aws}, {@code gitlab}) or the aws/gitlab setting
     *                                  that is invalid
     */
    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        List<String> missing = new ArrayList<>();
        for (String section : List.of("aws", "gitlab")) {
            JsonNode s = settings == null ? null : settings.get(section);
            if (s == null || s.isNull()) {
                missing.add(section);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("deployments: needs the aws and gitlab settings (it reads ECS services "
                    + "and GitLab projects); missing: " + String.join(", ", missing) + " (see toolsets/aws/README.md and "
                    + "toolsets/gitlab/README.md)");
        }
        AwsConfig aws = AwsConfig.parse(settings);
        GitLabSettings gitlab = GitLabSettings.parse(settings, System::getenv, Path.of(System.getProperty("user.home")));
        var gitlabClients = GitLabToolsetProvider.clients(gitlab, Clock.systemUTC(), GitLabClient.Sleeper.REAL);
        AwsClients awsClients = new AwsClients(aws, List.of());
        DeploymentOriginTool origin = new DeploymentOriginTool(new Accounts(aws, awsClients, new Redactor(io.opsmcp.tools.aws.AwsRedaction.RULES)),
                new ProjectResolver(new LinkedHashMap<>(gitlabClients)));
        return new DeploymentsToolset(awsClients, List.of(origin));
    }
}
