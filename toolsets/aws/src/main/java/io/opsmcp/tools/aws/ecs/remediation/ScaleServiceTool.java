package io.opsmcp.tools.aws.ecs.remediation;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.ApiRequest;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_scale_service}. */
public final class ScaleServiceTool extends EcsMutatingTool {

    static final ArgSpec<Integer> DESIRED_COUNT = ArgSpec.integer("desired_count")
            .range(0, 1000)
            .description("New desired task count.")
            .required();

    public ScaleServiceTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "ecs_scale_service",
                        "Scale an ECS service",
                        "Sets an ECS service's desired count and waits until running = desired. 0 stops it.",
                        JSON.objectNode().set("desired_count", DESIRED_COUNT.schema()),
                        List.of("desired_count"),
                        ToolAnnotations.destructive()));
    }

    @Override
    Plan planChange(AwsTarget t, String cluster, Service s, ObjectNode args) {
        int desired = DESIRED_COUNT.read(args);
        UpdateServiceRequest r = UpdateServiceRequest.builder()
                .cluster(cluster)
                .service(s.serviceName())
                .desiredCount(desired)
                .build();
        ObjectNode after = JSON.objectNode().put("desiredCount", desired);
        String summary = "desiredCount " + s.desiredCount() + " -> " + desired
                + (desired == 0 ? " (stops every task of " + s.serviceName() + ")" : "");
        return new Plan(
                new ChangePreview(summary, state(s), after),
                List.of(new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, request(r))),
                s,
                r,
                true);
    }

    @Override
    ObjectNode send(AwsTarget t, String cluster, Plan plan) {
        return update(
                t,
                (UpdateServiceRequest) plan.payload(),
                "service " + plan.service().serviceName());
    }
}
