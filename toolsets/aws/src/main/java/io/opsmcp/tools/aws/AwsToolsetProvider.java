package io.opsmcp.tools.aws;

import io.opsmcp.core.redact.RedactionRule;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.tools.aws.client.AwsClients;
import io.opsmcp.tools.aws.config.AwsConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the {@code aws} toolset. Reads the {@code aws:} section (format in
 * {@code toolsets/aws/README.md}). The simulated account of {@code --sandbox} is in module
 * {@code toolsets/aws-sandbox}.
 */
public final class AwsToolsetProvider implements OpsToolsetProvider {

    static final String NAME = "aws";
    static final String DESCRIPTION = "AWS ECS troubleshooting (services, stopped tasks, logs, metrics, network) and "
            + "guarded ECS remediation";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settingsSections() {
        return Set.of("aws");
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    /** @throws IllegalArgumentException naming the setting, e.g. {@code aws.accounts[0].default_region: …} */
    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        AwsConfig config = AwsConfig.parse(settings);
        return new AwsToolset(config, new AwsClients(config, List.of()));
    }

    @Override
    public List<RedactionRule> redactionRules() {
        return AwsRedaction.RULES;
    }
}
