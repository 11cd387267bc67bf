package io.opsmcp.tools.aws.client;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.common.AwsTool;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * ECS look-ups that several tool families need. Each goes through {@link AwsTarget#once}, so within one
 * snapshot (one {@code ecs_troubleshoot}) each thing is fetched once.
 */
public final class Ecs {

    private Ecs() {}

    /**
     * DescribeServices for one service, with its tags ({@code include: [TAGS]}).
     *
     * @throws ToolException NOT_FOUND when the cluster or the service does not exist (or is INACTIVE)
     */
    public static Service service(AwsTarget target, String cluster, String service) {
        return target.once("service|" + cluster + "|" + service, () -> describeService(target, cluster, service));
    }

    private static Service describeService(AwsTarget target, String cluster, String service) {
        String subject = "service " + service + " in cluster " + cluster;
        DescribeServicesResponse r = target.call(
                AwsAction.ECS_DESCRIBE_SERVICES,
                subject,
                () -> target.ecs()
                        .describeServices(
                                b -> b.cluster(cluster).services(service).include(ServiceField.TAGS)));
        if (!r.services().isEmpty() && !"INACTIVE".equals(r.services().get(0).status())) {
            return r.services().get(0);
        }
        String reason = r.failures().stream().map(Failure::reason).findFirst().orElse("INACTIVE");
        throw new ToolException(
                Kind.NOT_FOUND,
                "ECS " + subject + " was not found in " + target.where() + " (" + reason
                        + "); ecs_list_services lists the services of a cluster");
    }

    /**
     * The task definition a service runs: its own {@code taskDefinition} (ECS deployment controller) or, for the
     * CODE_DEPLOY and EXTERNAL controllers, which leave it empty, the PRIMARY task set's (else the newest task
     * set's). Null when the service has neither (an EXTERNAL service before its first task set).
     */
    public static String currentTaskDefinition(Service s) {
        if (s.taskDefinition() != null) {
            return s.taskDefinition();
        }
        TaskSet chosen = null;
        for (TaskSet ts : s.taskSets()) {
            if ("PRIMARY".equals(ts.status())) {
                return ts.taskDefinition();
            }
            if (chosen == null
                    || ts.createdAt() != null
                            && chosen.createdAt() != null
                            && ts.createdAt().isAfter(chosen.createdAt())) {
                chosen = ts;
            }
        }
        return chosen == null ? null : chosen.taskDefinition();
    }

    /** The service's load balancers, or for CODE_DEPLOY / EXTERNAL services those of its task sets. */
    public static List<LoadBalancer> loadBalancers(Service s) {
        if (!s.loadBalancers().isEmpty()) {
            return s.loadBalancers();
        }
        return s.taskSets().stream()
                .flatMap(ts -> ts.loadBalancers().stream())
                .distinct()
                .toList();
    }

    /**
     * The task definition of a service ({@link #currentTaskDefinition}).
     *
     * @throws ToolException NOT_FOUND when the service names none (an EXTERNAL service without task sets)
     */
    public static TaskDefinition taskDefinitionOf(AwsTarget target, Service s) {
        String td = currentTaskDefinition(s);
        if (td == null) {
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "service " + s.serviceName() + " names no task definition (deployment "
                            + "controller "
                            + (s.deploymentController() == null
                                    ? "ECS"
                                    : s.deploymentController().typeAsString())
                            + " without a task set)");
        }
        return taskDefinition(target, td);
    }

    /**
     * DescribeTaskDefinition.
     *
     * @throws ToolException NOT_FOUND when the family or revision does not exist
     */
    public static TaskDefinition taskDefinition(AwsTarget target, String taskDefinition) {
        return target.once(
                "task-definition|" + familyRevision(taskDefinition),
                () -> target.call(
                                AwsAction.ECS_DESCRIBE_TASK_DEFINITION,
                                "task definition " + taskDefinition,
                                () -> target.ecs().describeTaskDefinition(b -> b.taskDefinition(taskDefinition)))
                        .taskDefinition());
    }

    /** DescribeTargetGroups for the distinct target groups of these load balancers. */
    public static List<TargetGroup> targetGroups(AwsTarget target, String serviceName, List<String> arns) {
        return target.once(
                "target-groups|" + String.join(",", arns),
                () -> target.call(
                                AwsAction.ELB_DESCRIBE_TARGET_GROUPS,
                                "target groups of service " + serviceName,
                                () -> target.elb().describeTargetGroups(b -> b.targetGroupArns(arns)))
                        .targetGroups());
    }

    /** {@code family:revision} of a task definition ARN (or the value itself when it is not an ARN). */
    public static String familyRevision(String arnOrName) {
        return arnOrName == null ? null : AwsTool.shortName(arnOrName);
    }
}
