package io.opsmcp.tools.aws.ecs.troubleshoot;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import io.opsmcp.tools.aws.logs.LogScanner;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_troubleshoot}. */
public final class TroubleshootTool extends AwsTool {

    private final Troubleshooter troubleshooter;

    public TroubleshootTool(Accounts accounts) {
        super(accounts);
        this.troubleshooter = new Troubleshooter(new LogScanner(accounts));
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode remediation = JsonSchemas.properties();
        remediation.set("tool", JsonSchemas.type("string", "tool that fixes it"));
        remediation.set("arguments", JsonSchemas.type("object", "arguments for that tool"));
        remediation.set("why", JsonSchemas.type("string", "what the remediation does"));
        ObjectNode finding = JsonSchemas.properties();
        finding.set("rank", JsonSchemas.type("integer", "1 = most important"));
        finding.set(
                "severity",
                JsonSchemas.enumeration("severity", List.of("critical", "high", "medium", "low", "info"), "info"));
        finding.set(
                "category",
                JsonSchemas.type(
                        "string",
                        "out_of_memory, image_pull, cannot_start_container, "
                                + "host_problem, eni_provisioning, resource_initialization, iam_role, launch_failed, "
                                + "elb_health_check, container_health_check, container_exit, spot_interruption, deployment_failed, "
                                + "cloudformation, cannot_place_task, unhealthy_targets, capacity, cpu_saturation, memory_pressure, "
                                + "http_5xx, latency, log_errors, network, check_failed, healthy"));
        finding.set("title", JsonSchemas.type("string", "one line"));
        finding.set("evidence", JsonSchemas.arrayOf(JsonSchemas.type("string", "fact"), "what shows it"));
        // absent when no tool fixes the finding
        finding.set("remediation", JsonSchemas.output(remediation));
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set("service", JsonSchemas.type("string", "service"));
        out.set("verdict", JsonSchemas.type("string", "healthy, deploying, degraded, failing"));
        out.set("task_definition", JsonSchemas.type("string", "family:revision of the service"));
        out.set("deployment_controller", JsonSchemas.type("string", "ECS, CODE_DEPLOY or EXTERNAL"));

        out.set("summary", JsonSchemas.type("string", "the top finding in one line"));
        out.set("checks", JsonSchemas.type("object", "check -> ok | failed: reason"));
        out.set(
                "findings",
                JsonSchemas.arrayOf(
                        JsonSchemas.output(finding, "rank", "severity", "category", "title", "evidence"),
                        "ranked findings, most important first"));
        return new ToolDefinition(
                "ecs_troubleshoot",
                "Troubleshoot an ECS service",
                "One call for a misbehaving ECS service: runs every check and returns ranked findings, "
                        + "each with the remediation tool and arguments.",
                JsonSchemas.input(Schemas.service(), "cluster", "service"),
                JsonSchemas.output(out, "account", "region", "cluster", "service", "verdict", "findings"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        ObjectNode out = troubleshooter
                .run(t, AwsArgs.cluster(args), AwsArgs.service(args), ctx)
                .toJson();
        return ToolResult.ok(Troubleshooting.text(out), out);
    }
}
