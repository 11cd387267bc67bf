package io.opsmcp.tools.aws.ecs.remediation;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.ApiRequest;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_force_new_deployment}. */
public final class ForceNewDeploymentTool extends EcsMutatingTool {

    public ForceNewDeploymentTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "ecs_force_new_deployment",
                        "Force a new ECS deployment",
                        "Redeploys an ECS service with the same task definition (all tasks replaced, mutable image "
                                + "tags pulled again) and waits for steady or failed.",
                        JSON.objectNode(),
                        List.of(),
                        ToolAnnotations.destructive(),
                        false)); // interrupts tasks, removes nothing: not destructive to the policy
    }

    @Override
    Plan planChange(AwsTarget t, String cluster, Service s, ObjectNode args) {
        UpdateServiceRequest r = UpdateServiceRequest.builder()
                .cluster(cluster)
                .service(s.serviceName())
                .forceNewDeployment(true)
                .build();
        ObjectNode after = state(s).put("newDeployment", true);
        String summary = "force new deployment of " + s.serviceName() + " (" + Ecs.familyRevision(s.taskDefinition())
                + ", " + s.runningCount() + " running task(s) replaced)";
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
