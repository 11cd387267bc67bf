package io.opsmcp.tools.aws.ecs.remediation;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.ApiRequest;
import io.opsmcp.tools.aws.common.AwsArgs;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_rollback_service}. */
public final class RollbackServiceTool extends EcsMutatingTool {

    static final ArgSpec<String> TASK_DEFINITION = ArgSpec.string("task_definition")
            .pattern(AwsArgs.TASK_DEFINITION_PATTERN)
            .schemaPattern(AwsArgs.NAME_OR_ARN_SCHEMA_PATTERN)
            .description("family:revision or ARN. Default: the previous ACTIVE revision.");

    public RollbackServiceTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "ecs_rollback_service",
                        "Roll back an ECS service",
                        "Points an ECS service at an earlier task definition (given, else the previous ACTIVE "
                                + "revision) and waits for steady or failed. Each repeat goes one revision further back.",
                        JSON.objectNode().set("task_definition", TASK_DEFINITION.schema()),
                        List.of(),
                        ToolAnnotations.destructive(),
                        false)); // interrupts tasks, removes nothing: not destructive to the policy
    }

    @Override
    Plan planChange(AwsTarget t, String cluster, Service s, ObjectNode args) {
        String current = Ecs.familyRevision(s.taskDefinition());
        String named = TASK_DEFINITION.read(args);
        String targetArn;
        if (named != null) {
            targetArn = Ecs.taskDefinition(t, named).taskDefinitionArn();
        } else {
            targetArn = previousRevision(t, current);
        }
        String target = Ecs.familyRevision(targetArn);
        if (target.equals(current)) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT, "task_definition: service " + s.serviceName() + " already runs " + current);
        }
        UpdateServiceRequest r = UpdateServiceRequest.builder()
                .cluster(cluster)
                .service(s.serviceName())
                .taskDefinition(targetArn)
                .build();
        ObjectNode after = JSON.objectNode().put("taskDefinition", target);
        return new Plan(
                new ChangePreview("taskDefinition " + current + " -> " + target, state(s), after),
                List.of(new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, request(r))),
                s,
                r,
                true);
    }

    private static String previousRevision(AwsTarget t, String current) {
        int colon = current.lastIndexOf(':');
        String family = current.substring(0, colon);
        int revision = Integer.parseInt(current.substring(colon + 1));
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ListTaskDefinitionsResponse r = t.call(
                    AwsAction.ECS_LIST_TASK_DEFINITIONS,
                    "task definitions of family " + family,
                    () -> t.ecs()
                            .listTaskDefinitions(b -> b.familyPrefix(family)
                                    .status(TaskDefinitionStatus.ACTIVE)
                                    .sort(SortOrder.DESC)
                                    .nextToken(next)
                                    .maxResults(100)));
            for (String arn : r.taskDefinitionArns()) {
                String fr = Ecs.familyRevision(arn);
                int c = fr.lastIndexOf(':');
                if (fr.substring(0, c).equals(family) && Integer.parseInt(fr.substring(c + 1)) < revision) {
                    return arn;
                }
            }
            token = r.nextToken();
            pages++;
        } while (token != null && pages < 10);
        throw new ToolException(
                Kind.NOT_FOUND,
                "no ACTIVE revision of " + family + " older than " + current + " in " + t.where()
                        + "; name one with task_definition");
    }

    @Override
    ObjectNode send(AwsTarget t, String cluster, Plan plan) {
        return update(
                t,
                (UpdateServiceRequest) plan.payload(),
                "service " + plan.service().serviceName());
    }
}
