package io.opsmcp.tools.aws.ecs.tasks;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_task_definition}. */
public final class TaskDefinitionTool extends AwsTool {

    static final ArgSpec<String> TASK_DEFINITION = ArgSpec.string("task_definition")
            .pattern(AwsArgs.TASK_DEFINITION_PATTERN)
            .schemaPattern(AwsArgs.NAME_OR_ARN_SCHEMA_PATTERN)
            .description("Family (latest ACTIVE), family:revision or ARN.")
            .required();

    public TaskDefinitionTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("task_definition", TASK_DEFINITION.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("family", JsonSchemas.type("string", "family"));
        out.set("arn", JsonSchemas.type("string", "task definition ARN"));
        out.set("status", JsonSchemas.type("string", "ACTIVE or INACTIVE"));
        out.set("network_mode", JsonSchemas.type("string", "awsvpc, bridge, host, none"));
        out.set(
                "requires_compatibilities",
                JsonSchemas.arrayOf(JsonSchemas.type("string", "FARGATE, EC2"), "launch types"));
        out.set("revision", JsonSchemas.type("integer", "revision"));
        out.set("cpu", JsonSchemas.type("string", "task CPU units"));
        out.set("memory", JsonSchemas.type("string", "task memory (MiB)"));
        out.set(
                "containers",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "name, image, cpu, memory, "
                                        + "memory_reservation, essential, ports[], health_check, log, environment (names only), "
                                        + "secrets[] (name, value_from)"),
                        "container definitions"));
        out.set("execution_role_arn", JsonSchemas.type("string", "execution role"));
        out.set("task_role_arn", JsonSchemas.type("string", "task role"));
        return new ToolDefinition(
                "ecs_task_definition",
                "ECS task definition",
                "A task definition: CPU/memory, images, ports, health checks, logging, env var names "
                        + "(never values), secrets by source, IAM roles.",
                JsonSchemas.input(in, "task_definition"),
                JsonSchemas.output(out, "account", "region", "family", "revision", "containers"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        String td = TASK_DEFINITION.read(args);
        return descriptor(accounts.resolve(args), "ecs:task-definition", shortName(td), null, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        TaskDefinition td = Ecs.taskDefinition(t, TASK_DEFINITION.read(args));
        ObjectNode out = render(t, td);
        return ToolResult.ok(text(out), out);
    }

    static ObjectNode render(AwsTarget t, TaskDefinition td) {
        ObjectNode out = result(t);
        out.put("family", td.family());
        out.put("revision", td.revision());
        out.put("arn", td.taskDefinitionArn());
        out.put("status", td.statusAsString());
        out.put("cpu", td.cpu());
        out.put("memory", td.memory());
        out.put("network_mode", td.networkModeAsString());
        ArrayNode compat = out.putArray("requires_compatibilities");
        td.requiresCompatibilitiesAsStrings().forEach(compat::add);
        out.put("execution_role_arn", td.executionRoleArn());
        out.put("task_role_arn", td.taskRoleArn());
        ArrayNode containers = out.putArray("containers");
        for (ContainerDefinition c : td.containerDefinitions()) {
            ObjectNode cn = containers.addObject();
            cn.put("name", c.name());
            cn.put("image", c.image());
            cn.put("cpu", c.cpu());
            cn.put("memory", c.memory());
            cn.put("memory_reservation", c.memoryReservation());
            cn.put("essential", c.essential() == null || c.essential());
            ArrayNode ports = cn.putArray("ports");
            for (PortMapping p : c.portMappings()) {
                ObjectNode pn = ports.addObject();
                pn.put("container_port", p.containerPort());
                pn.put("host_port", p.hostPort());
                pn.put("protocol", p.protocolAsString());
            }
            HealthCheck hc = c.healthCheck();
            if (hc != null) {
                ObjectNode hn = cn.putObject("health_check");
                ArrayNode cmd = hn.putArray("command");
                hc.command().forEach(cmd::add);
                hn.put("interval", hc.interval());
                hn.put("timeout", hc.timeout());
                hn.put("retries", hc.retries());
                hn.put("start_period", hc.startPeriod());
            }
            LogConfiguration log = c.logConfiguration();
            if (log != null) {
                ObjectNode ln = cn.putObject("log");
                ln.put("driver", log.logDriverAsString());
                ObjectNode opts = ln.putObject("options");
                log.options().forEach(opts::put);
                ArrayNode so = ln.putArray("secret_options");
                log.secretOptions()
                        .forEach(s -> so.addObject().put("name", s.name()).put("value_from", s.valueFrom()));
            }
            ArrayNode env = cn.putArray("environment");
            c.environment().stream().map(KeyValuePair::name).forEach(env::add);
            ArrayNode secrets = cn.putArray("secrets");
            for (Secret s : c.secrets()) {
                secrets.addObject().put("name", s.name()).put("value_from", s.valueFrom());
            }
        }
        return out;
    }

    private static String text(ObjectNode o) {
        StringBuilder sb = new StringBuilder();
        sb.append("task definition ")
                .append(o.get("family").asString())
                .append(':')
                .append(o.get("revision").asInt())
                .append(" (")
                .append(o.path("status").asString("-"))
                .append("), task cpu ")
                .append(o.path("cpu").asString("-"))
                .append(", memory ")
                .append(o.path("memory").asString("-"))
                .append(" MiB, network mode ")
                .append(o.path("network_mode").asString("-"))
                .append('\n');
        sb.append("execution role: ")
                .append(o.path("execution_role_arn").asString("-"))
                .append('\n');
        sb.append("task role: ").append(o.path("task_role_arn").asString("-")).append('\n');
        for (var c : o.get("containers")) {
            sb.append("\ncontainer ")
                    .append(c.get("name").asString())
                    .append(c.get("essential").asBoolean() ? " (essential)" : "")
                    .append(": ")
                    .append(c.path("image").asString("-"))
                    .append('\n');
            sb.append("  cpu ")
                    .append(c.path("cpu").asString("-"))
                    .append(", memory ")
                    .append(c.path("memory").isNull() ? "-" : c.path("memory").asString())
                    .append(" MiB (hard), reservation ")
                    .append(
                            c.path("memory_reservation").isNull()
                                    ? "-"
                                    : c.path("memory_reservation").asString())
                    .append('\n');
            List<String> ports = new ArrayList<>();
            c.get("ports")
                    .forEach(p -> ports.add(p.path("container_port").asString() + "/"
                            + p.path("protocol").asString("tcp")));
            sb.append("  ports: ")
                    .append(ports.isEmpty() ? "-" : String.join(", ", ports))
                    .append('\n');
            if (c.has("health_check")) {
                List<String> cmd = new ArrayList<>();
                c.get("health_check").get("command").forEach(x -> cmd.add(x.asString()));
                sb.append("  health check: ")
                        .append(String.join(" ", cmd))
                        .append(" (interval ")
                        .append(c.get("health_check").path("interval").asString("-"))
                        .append("s, retries ")
                        .append(c.get("health_check").path("retries").asString("-"))
                        .append(", start period ")
                        .append(c.get("health_check").path("start_period").asString("-"))
                        .append("s)\n");
            }
            if (c.has("log")) {
                sb.append("  log: ")
                        .append(c.get("log").path("driver").asString("-"))
                        .append(' ')
                        .append(c.get("log").get("options"))
                        .append('\n');
            }
            List<String> env = new ArrayList<>();
            c.get("environment").forEach(x -> env.add(x.asString()));
            sb.append("  environment (names only): ")
                    .append(env.isEmpty() ? "-" : String.join(", ", env))
                    .append('\n');
            for (var s : c.get("secrets")) {
                sb.append("  secret ")
                        .append(s.get("name").asString())
                        .append(" <- ")
                        .append(s.get("value_from").asString())
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
