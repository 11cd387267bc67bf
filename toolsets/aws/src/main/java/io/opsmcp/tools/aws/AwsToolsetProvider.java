package io.opsmcp.tools.aws;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.tools.aws.client.AwsClients;
import io.opsmcp.tools.aws.config.AwsConfig;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the {@code aws} toolset. Reads the {@code aws:} section (format in
 * {@code toolsets/aws/README.md}); {@code --sandbox} adds a simulated account served by WireMock on loopback.
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
    public Optional<ToolsetSandbox> startSandbox(Path dir) {
        return Optional.of(AwsSandbox.start());
    }

    @Override
    public java.util.List<io.opsmcp.core.redact.RedactionRule> redactionRules() {
        return AwsRedaction.RULES;
    }
}
