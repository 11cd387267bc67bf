package io.opsmcp.tools.deployments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

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
record RunningRevision(String taskDefinition, String container, ImageRef image, Map<String, String> serviceTags,
                       Map<String, String> taskDefinitionTags, String rolloutState) {

    /**
     * Reads the service with DescribeServices ({@code include: [TAGS]}) and its primary task definition with
     * DescribeTaskDefinition ({@code include: [TAGS]}). The essential container is the one named like the service
     * when there are several, else the first essential one (ECS treats a container without {@code essential} as
     * essential).
     *
     * @throws ToolException NOT_FOUND when the service does not exist or is INACTIVE; what {@link AwsTarget#call}
     *                       throws for AWS failures
     */
    static RunningRevision read(AwsTarget target, String cluster, String service) {
        String subject = "service " + service + " in cluster " + cluster;
        DescribeServicesResponse r = target.call(AwsAction.ECS_DESCRIBE_SERVICES, subject,
                () -> target.ecs().describeServices(b -> b.cluster(cluster).services(service)
                        .include(ServiceField.TAGS)));
        if (r.services().isEmpty() || "INACTIVE".equals(r.services().get(0).status())) {
            String reason = r.failures().stream().map(Failure::reason).findFirst().orElse("INACTIVE");
            throw new ToolException(Kind.NOT_FOUND, "ECS " + subject + " was not found in " + target.where()
                    + " (" + reason + "); ecs_list_services lists the services of a cluster");
        }
        Service s = r.services().get(0);
        String taskDefinitionArn = s.taskDefinition();
        String rollout = null;
        for (var d : s.deployments()) {
            if ("PRIMARY".equals(d.status())) {
                taskDefinitionArn = d.taskDefinition();
                rollout = d.rolloutStateAsString();
            }
        }
        if (taskDefinitionArn == null) {
            throw new ToolException(Kind.NOT_FOUND, "ECS " + subject + " in " + target.where()
                    + " has no task definition (a service with an external deployment controller?)");
        }
        String td = taskDefinitionArn;
        DescribeTaskDefinitionResponse t = target.call(AwsAction.ECS_DESCRIBE_TASK_DEFINITION,
                "task definition " + shortName(td), () -> target.ecs().describeTaskDefinition(b -> b.taskDefinition(td)
                        .include(TaskDefinitionField.TAGS)));
        ContainerDefinition container = essential(t.taskDefinition().containerDefinitions(), shortName(s.serviceName()));
        if (container == null || container.image() == null) {
            throw new ToolException(Kind.NOT_FOUND, "task definition " + shortName(td) + " in " + target.where()
                    + " has no essential container with an image");
        }
        String familyRevision = t.taskDefinition().family() + ":" + t.taskDefinition().revision();
        return new RunningRevision(familyRevision, container.name(), ImageRef.parse(container.image()),
                tags(s.tags()), tags(t.tags()), rollout);
    }

    private static ContainerDefinition essential(List<ContainerDefinition> containers, String serviceName) {
        List<ContainerDefinition> essential = containers.stream()
                .filter(c -> c.essential() == null || c.essential()).toList();
        return essential.stream().filter(c -> serviceName.equals(c.name())).findFirst()
                .orElse(essential.isEmpty() ? null : essential.get(0));
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag tag : tags) {
            if (tag.key() != null && tag.value() != null) {
                out.put(tag.key(), tag.value().strip());
            }
        }
        return out;
    }

    /** The last {@code /}-segment of an ARN ({@code family:revision}, a service name) or the value itself. */
    static String shortName(String nameOrArn) {
        return nameOrArn == null ? null : nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    }
}
