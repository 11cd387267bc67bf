package io.opsmcp.tools.aws;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** ECS look-ups that several tool families need. */
final class Ecs {

    private Ecs() {
    }

    /**
     * DescribeServices for one service.
     *
     * @throws ToolException NOT_FOUND when the cluster or the service does not exist (or is INACTIVE)
     */
    static Service service(AwsTarget target, String cluster, String service) {
        String subject = "service " + service + " in cluster " + cluster;
        DescribeServicesResponse r = target.call(AwsAction.ECS_DESCRIBE_SERVICES, subject,
                () -> target.ecs().describeServices(b -> b.cluster(cluster).services(service)));
        if (!r.services().isEmpty() && !"INACTIVE".equals(r.services().get(0).status())) {
            return r.services().get(0);
        }
        String reason = r.failures().stream().map(Failure::reason).findFirst().orElse("INACTIVE");
        throw new ToolException(Kind.NOT_FOUND, "ECS " + subject + " was not found in " + target.where()
                + " (" + reason + "); ecs_list_services lists the services of a cluster");
    }

    /**
     * DescribeTaskDefinition.
     *
     * @throws ToolException NOT_FOUND when the family or revision does not exist
     */
    static TaskDefinition taskDefinition(AwsTarget target, String taskDefinition) {
        return target.call(AwsAction.ECS_DESCRIBE_TASK_DEFINITION, "task definition " + taskDefinition,
                () -> target.ecs().describeTaskDefinition(b -> b.taskDefinition(taskDefinition))).taskDefinition();
    }

    /** {@code family:revision} of a task definition ARN (or the value itself when it is not an ARN). */
    static String familyRevision(String arnOrName) {
        return AwsTool.shortName(arnOrName);
    }
}
