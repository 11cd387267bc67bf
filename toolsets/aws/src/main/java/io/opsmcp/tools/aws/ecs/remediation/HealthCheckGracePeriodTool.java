package io.opsmcp.tools.aws.ecs.remediation;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.ApiRequest;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_update_health_check_grace_period}. */
public final class HealthCheckGracePeriodTool extends EcsMutatingTool {

    static final ArgSpec<Integer> SECONDS = ArgSpec.integer("seconds")
            .range(0, 2_147_483)
            .description("New grace period in seconds.")
            .required();

    public HealthCheckGracePeriodTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "ecs_update_health_check_grace_period",
                        "Change the health check grace period",
                        "Sets how long ECS ignores load balancer health checks after a task starts, for tasks "
                                + "killed while starting. Starts no deployment.",
                        JSON.objectNode().set("seconds", SECONDS.schema()),
                        List.of("seconds"),
                        ToolAnnotations.destructive(),
                        false)); // interrupts tasks, removes nothing: not destructive to the policy
    }

    @Override
    Plan planChange(AwsTarget t, String cluster, Service s, ObjectNode args) {
        int seconds = SECONDS.read(args);
        if (s.loadBalancers().isEmpty()) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "service " + s.serviceName()
                            + " has no load balancer; the health check grace period only applies to services behind one");
        }
        UpdateServiceRequest r = UpdateServiceRequest.builder()
                .cluster(cluster)
                .service(s.serviceName())
                .healthCheckGracePeriodSeconds(seconds)
                .build();
        Integer current = s.healthCheckGracePeriodSeconds();
        ObjectNode before = JSON.objectNode().put("healthCheckGracePeriodSeconds", current == null ? 0 : current);
        ObjectNode after = JSON.objectNode().put("healthCheckGracePeriodSeconds", seconds);
        return new Plan(
                new ChangePreview(
                        "healthCheckGracePeriodSeconds " + (current == null ? 0 : current) + " -> " + seconds,
                        before,
                        after),
                List.of(new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, request(r))),
                s,
                r,
                false);
    }

    @Override
    ObjectNode send(AwsTarget t, String cluster, Plan plan) {
        return update(
                t,
                (UpdateServiceRequest) plan.payload(),
                "service " + plan.service().serviceName());
    }
}
