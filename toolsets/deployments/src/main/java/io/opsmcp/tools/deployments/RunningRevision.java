package io.opsmcp.tools.deployments;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.api.AwsAccess;
import io.opsmcp.tools.aws.api.AwsAccess.Container;
import io.opsmcp.tools.aws.api.AwsAccess.EcsService;
import io.opsmcp.tools.aws.api.AwsAccess.EcsTaskDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ECS service runs now: the task definition of its PRIMARY deployment (the one new tasks are started
 * from), the image of its essential container, and the tags of the service and of that task definition.
 *
 * @param taskDefinition     {@code family:revision}
 * @param container          the essential container whose image is reported
 * @param image              that container's image reference
 * @param serviceTags        the service's tags (key → value)
 * @param taskDefinitionTags the task definition's tags (key → value)
 * @param rolloutState       the primary deployment's rollout state ({@code COMPLETED}, {@code IN_PROGRESS}, …) or null
 */
record RunningRevision(
        String taskDefinition,
        String container,
        ImageRef image,
        Map<String, String> serviceTags,
        Map<String, String> taskDefinitionTags,
        String rolloutState) {

    /**
     * Reads the service with DescribeServices ({@code include: [TAGS]}) and its primary task definition with
     * DescribeTaskDefinition ({@code include: [TAGS]}). The essential container is the one named like the service
     * when there are several, else the first essential one (ECS treats a container without {@code essential} as
     * essential).
     *
     * @throws ToolException NOT_FOUND when the service does not exist or is INACTIVE; what {@link AwsAccess}
     *                       throws for AWS failures
     */
    static RunningRevision read(AwsAccess aws, AwsAccess.Scope scope, String cluster, String service) {
        String subject = "service " + service + " in cluster " + cluster;
        EcsService s = aws.describeService(scope, cluster, service);
        String taskDefinitionArn = s.taskDefinition();
        String rollout = null;
        for (var d : s.deployments()) {
            if ("PRIMARY".equals(d.status())) {
                taskDefinitionArn = d.taskDefinition();
                rollout = d.rolloutState();
            }
        }
        if (taskDefinitionArn == null) {
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "ECS " + subject + " in " + scope.where()
                            + " has no task definition (a service with an external deployment controller?)");
        }
        String td = taskDefinitionArn;
        EcsTaskDefinition t = aws.describeTaskDefinition(scope, td);
        Container container = essential(t.containers(), shortName(s.name()));
        if (container == null || container.image() == null) {
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "task definition " + shortName(td) + " in " + scope.where()
                            + " has no essential container with an image");
        }
        String familyRevision = t.family() + ":" + t.revision();
        return new RunningRevision(
                familyRevision,
                container.name(),
                ImageRef.parse(container.image()),
                tags(s.tags()),
                tags(t.tags()),
                rollout);
    }

    private static Container essential(List<Container> containers, String serviceName) {
        List<Container> essential = containers.stream()
                .filter(c -> c.essential() == null || c.essential())
                .toList();
        return essential.stream()
                .filter(c -> serviceName.equals(c.name()))
                .findFirst()
                .orElse(essential.isEmpty() ? null : essential.get(0));
    }

    private static Map<String, String> tags(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach((k, v) -> out.put(k, v.strip()));
        return out;
    }

    /** The last {@code /}-segment of an ARN ({@code family:revision}, a service name) or the value itself. */
    static String shortName(String nameOrArn) {
        return nameOrArn == null ? null : nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    }
}
