package io.opsmcp.tools.deployments;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.tools.aws.api.AwsAccess;
import java.util.List;

/** The {@code deployments} toolset: tools that need both AWS and GitLab ({@code ops_deployment_origin}). */
final class DeploymentsToolset implements OpsToolset {

    static final String NAME = "deployments";
    static final String DESCRIPTION = "Cross-system: which GitLab commit, pipeline and merge request an ECS service's "
            + "running revision came from (needs the aws and gitlab settings)";

    private final AwsAccess aws;
    private final List<OpsTool> tools;

    /** @param aws closed with the toolset */
    DeploymentsToolset(AwsAccess aws, List<OpsTool> tools) {
        this.aws = aws;
        this.tools = List.copyOf(tools);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<OpsTool> tools() {
        return tools;
    }

    @Override
    public void close() {
        aws.close();
    }
}
