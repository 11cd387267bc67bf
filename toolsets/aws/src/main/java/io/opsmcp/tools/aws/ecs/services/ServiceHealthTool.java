package io.opsmcp.tools.aws.ecs.services;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_service_health}. */
public final class ServiceHealthTool extends AwsTool {

    static final ArgSpec<Integer> EVENTS = ArgSpec.integer("events")
            .range(1, 100)
            .defaultValue(50)
            .description("How many newest service events to examine.");

    public ServiceHealthTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.service();
        in.set("events", EVENTS.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set("service", JsonSchemas.type("string", "service"));
        out.set("desired", JsonSchemas.type("integer", "desired tasks"));
        out.set("status", JsonSchemas.type("string", "ACTIVE, DRAINING, INACTIVE"));
        out.set("launch_type", JsonSchemas.type("string", "FARGATE, EC2, EXTERNAL"));
        out.set("deployment_controller", JsonSchemas.type("string", "ECS, CODE_DEPLOY or EXTERNAL"));
        out.set(
                "health_check_grace_period_seconds",
                JsonSchemas.type("integer", "load balancer health check grace period"));
        out.set(
                "task_sets",
                JsonSchemas.arrayOf(JsonSchemas.type("object", "task set"), "task sets (external deployments)"));
        out.set("running", JsonSchemas.type("integer", "running tasks"));
        out.set("pending", JsonSchemas.type("integer", "pending tasks"));
        out.set("task_definition", JsonSchemas.type("string", "family:revision of the service"));
        out.set(
                "deployments",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "id, status, task_definition, desired, running, pending, failed_tasks, rollout_state, "
                                        + "rollout_state_reason, created_at, updated_at"),
                        "deployments"));
        out.set("circuit_breaker", JsonSchemas.type("object", "enabled, rollback"));
        out.set(
                "events",
                JsonSchemas.type(
                        "object",
                        "examined, latest_class, groups[] (class, reason for "
                                + "cannot_place: memory|cpu|ports|eni|capacity|other, count, first_at, last_at, latest_message)"));
        out.set(
                "load_balancers",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "target_group_arn, container_name, container_port, healthy, unhealthy, targets[] (id, port, "
                                        + "state, reason, description)"),
                        "load balancers with per-target health"));
        out.set(
                "verdict",
                JsonSchemas.enumeration(
                        "overall verdict", List.of("healthy", "deploying", "degraded", "failing"), "healthy"));
        out.set("verdict_reasons", JsonSchemas.arrayOf(JsonSchemas.type("string", "reason"), "why"));
        return new ToolDefinition(
                "ecs_service_health",
                "ECS service health",
                "Health of one ECS service: task counts, deployments, recent events classified, target "
                        + "health with ELB reason codes, and a verdict.",
                JsonSchemas.input(in, "cluster", "service"),
                JsonSchemas.output(out, "account", "region", "cluster", "service", "verdict", "deployments", "events"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        ServiceHealth h = ServiceHealthCheck.read(
                t, AwsArgs.cluster(args), AwsArgs.service(args), EVENTS.read(args), ctx, Instant.now());
        return ToolResult.ok(ServiceHealthCheck.text(h), h.toJson());
    }
}
