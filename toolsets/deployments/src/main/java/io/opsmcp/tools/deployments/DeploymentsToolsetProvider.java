package io.opsmcp.tools.deployments;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.tools.aws.api.AwsAccess;
import io.opsmcp.tools.gitlab.api.GitLabProjects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    public Set<String> settingsSections() {
        return Set.of("aws", "gitlab");
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
                    + "and GitLab projects); missing: " + String.join(", ", missing)
                    + " (see toolsets/aws/README.md and "
                    + "toolsets/gitlab/README.md)");
        }
        AwsAccess aws = AwsAccess.fromSettings(settings);
        GitLabProjects gitlab = GitLabProjects.fromSettings(settings);
        DeploymentOriginTool origin = new DeploymentOriginTool(aws, gitlab);
        return new DeploymentsToolset(aws, List.of(origin));
    }
}
