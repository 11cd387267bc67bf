package io.opsmcp.tools.aws.metrics;

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
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_metrics}. */
public final class MetricsTool extends AwsTool {

    static final ArgSpec<Integer> MINUTES =
            ArgSpec.integer("minutes").range(5, 1440).defaultValue(60).description("Window length, ending now.");

    public MetricsTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.service();
        in.set("minutes", MINUTES.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set("service", JsonSchemas.type("string", "service"));
        out.set("minutes", JsonSchemas.type("integer", "window length"));
        out.set("start", JsonSchemas.type("string", "window start, RFC 3339"));
        out.set("end", JsonSchemas.type("string", "window end, RFC 3339"));
        out.set("period_seconds", JsonSchemas.type("integer", "period of each point"));
        out.set(
                "metrics",
                JsonSchemas.type(
                        "object",
                        "id -> {namespace, metric, stat, unit, points, min, avg, max, "
                                + "latest, sum, sparkline, series[[time, value]]}; ids cpu_avg, cpu_max, memory_avg, memory_max "
                                + "and, behind a load balancer, target_5xx, elb_5xx, target_response_time"));
        return new ToolDefinition(
                "ecs_metrics",
                "ECS service metrics",
                "CPU and memory of an ECS service (min/avg/max, sparkline) over recent minutes; behind an "
                        + "ALB also 5xx and response time.",
                JsonSchemas.input(in, "cluster", "service"),
                JsonSchemas.output(out, "account", "region", "period_seconds", "metrics"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        ObjectNode out = MetricsReader.read(t, AwsArgs.cluster(args), AwsArgs.service(args), MINUTES.read(args), ctx)
                .toJson();
        return ToolResult.ok(MetricsReader.text(out), out);
    }
}
