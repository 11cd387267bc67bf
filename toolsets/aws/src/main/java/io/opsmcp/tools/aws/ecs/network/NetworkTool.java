package io.opsmcp.tools.aws.ecs.network;

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
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_network}. */
public final class NetworkTool extends AwsTool {

    public NetworkTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set("service", JsonSchemas.type("string", "service"));
        out.set("network_mode", JsonSchemas.type("string", "task definition network mode"));
        out.set("public_ip_note", JsonSchemas.type("string", "what the public IP setting means for image pulls"));
        out.set(
                "load_balancer_ports",
                JsonSchemas.arrayOf(JsonSchemas.type("integer", "port"), "container ports behind a load balancer"));
        out.set("egress", JsonSchemas.type("object", "route tables, NAT and VPC endpoints, when checked"));
        out.set("container_ports", JsonSchemas.arrayOf(JsonSchemas.type("integer", "port"), "TCP container ports"));
        out.set(
                "awsvpc",
                JsonSchemas.type(
                        "object",
                        "assign_public_ip, subnets[] (id, vpc_id, availability_zone, "
                                + "cidr, available_addresses), security_groups[] (id, name, ingress[])"));
        out.set(
                "port_ingress",
                JsonSchemas.arrayOf(JsonSchemas.type("object", "port, allowed_from[]"), "who may reach each port"));
        out.set(
                "target_groups",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "arn, name, protocol, port, target_type, "
                                        + "health_check_path, health_check_port, container_name, container_port"),
                        "target groups"));
        out.set("issues", JsonSchemas.arrayOf(JsonSchemas.type("object", "severity, message"), "problems found"));
        return new ToolDefinition(
                "ecs_network",
                "ECS service network",
                "Network setup of an ECS service: subnets with free IPs, security group ingress to the "
                        + "container ports, public IP, target groups checked against the task definition.",
                JsonSchemas.input(Schemas.service(), "cluster", "service"),
                JsonSchemas.output(out, "account", "region", "issues"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        // the egress check (route tables, VPC endpoints) always runs here; ecs_troubleshoot spends it only on timeouts
        ObjectNode out = NetworkCheck.read(t, AwsArgs.cluster(args), AwsArgs.service(args), true, ctx)
                .toJson();
        return ToolResult.ok(NetworkCheck.text(out), out);
    }
}
