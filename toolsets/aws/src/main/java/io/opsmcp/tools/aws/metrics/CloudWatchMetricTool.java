package io.opsmcp.tools.aws.metrics;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudwatch_metric}: any CloudWatch metric of the account and region (namespace, metric name, dimensions)
 * through the same GetMetricData helper, summary and sparkline as {@code ecs_metrics} ({@link MetricsReader#query}).
 * Only MetricStat queries are sent — never metric math or {@code SEARCH} expressions, and never another account's
 * {@code AccountId} — so a call reads exactly the one metric it names, in the account the scope resolved.
 */
public final class CloudWatchMetricTool extends AwsTool {

    /** CloudWatch namespaces: 1..255 printable ASCII characters, not starting with ':' (API reference, Metric). */
    static final ArgSpec<String> NAMESPACE = ArgSpec.string("namespace")
            .pattern("^[\\x21-\\x39\\x3b-\\x7e][\\x20-\\x7e]{0,254}$")
            .schemaPattern("^[ -~]+$")
            .description("e.g. AWS/ECS, AWS/RDS.")
            .required();

    static final ArgSpec<String> METRIC_NAME = ArgSpec.string("metric_name")
            .pattern("^[\\x21-\\x7e][\\x20-\\x7e]{0,254}$")
            .schemaPattern("^[ -~]+$")
            .description("e.g. CPUUtilization.")
            .required();

    static final ArgSpec<JsonNode> DIMENSIONS = Dimensions.spec("Name -> value, e.g. {\"ServiceName\":\"checkout\"}.");

    static final ArgSpec<List<String>> STATS = ArgSpec.stringList("stats")
            .pattern("^(Average|Maximum|Minimum|Sum|SampleCount|p(100|[0-9]{1,2}(\\.[0-9]{1,2})?))$")
            .schemaPattern("^(Average|Maximum|Minimum|Sum|SampleCount|p[0-9.]+)$")
            .maxItems(5)
            .description("e.g. [\"p99\"]. Default: Average, Maximum.");

    public CloudWatchMetricTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("namespace", NAMESPACE.schema());
        in.set("metric_name", METRIC_NAME.schema());
        in.set("dimensions", DIMENSIONS.schema());
        in.set("stats", STATS.schema());
        in.set("minutes", MetricsTool.MINUTES.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("namespace", JsonSchemas.type("string", "namespace"));
        out.set("metric_name", JsonSchemas.type("string", "metric name"));
        out.set("dimensions", JsonSchemas.type("object", "dimension name -> value"));
        out.set("minutes", JsonSchemas.type("integer", "window length"));
        out.set("start", JsonSchemas.type("string", "window start, RFC 3339"));
        out.set("end", JsonSchemas.type("string", "window end, RFC 3339"));
        out.set("period_seconds", JsonSchemas.type("integer", "period of each point"));
        out.set(
                "metrics",
                JsonSchemas.type(
                        "object",
                        "statistic id (average, maximum, p99, p99_9, …) -> {namespace, metric, stat, unit, points, min, "
                                + "avg, max, latest, sum, sparkline, series[[time, value]]}, as ecs_metrics"));
        return new ToolDefinition(
                "cloudwatch_metric",
                "CloudWatch metric",
                "Any CloudWatch metric (namespace, name, dimensions) over recent minutes: min/avg/max and a "
                        + "sparkline per statistic. No points: check the dimensions' exact names and values.",
                JsonSchemas.input(in, "namespace", "metric_name"),
                JsonSchemas.output(out, "account", "region", "period_seconds", "metrics"),
                ToolAnnotations.readOnly());
    }

    /**
     * Kind {@code cloudwatch:metric}, name {@code NAMESPACE/METRIC}; an ECS service's metric (dimensions
     * ClusterName, ServiceName) carries the ids {@code cluster} and {@code service}, as the ECS tools' descriptors do.
     */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        Map<String, String> dims = Dimensions.read(DIMENSIONS, args);
        return descriptor(
                accounts.resolve(args),
                "cloudwatch:metric",
                NAMESPACE.read(args) + "/" + METRIC_NAME.read(args),
                dims.get("ClusterName"),
                dims.get("ServiceName"),
                null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String namespace = NAMESPACE.read(args);
        String metric = METRIC_NAME.read(args);
        Map<String, String> dims = Dimensions.read(DIMENSIONS, args);
        List<String> stats = STATS.readOptional(args).orElse(List.of("Average", "Maximum"));
        int minutes = MetricsTool.MINUTES.read(args);
        // CloudWatch's own convention: *Utilization metrics are percentages (drawn on a fixed 0..100 scale)
        String unit = metric.endsWith("Utilization") ? "%" : "";
        List<MetricsReader.Spec> specs = new ArrayList<>();
        for (String stat : new java.util.LinkedHashSet<>(stats)) {
            specs.add(new MetricsReader.Spec(id(stat), namespace, metric, stat, unit, dims));
        }
        ctx.progress().report(0, 1.0, "querying " + namespace + " " + metric);
        MetricsReader.Window w = MetricsReader.query(t, specs, minutes, "metric " + namespace + " " + metric);
        ctx.progress().report(1, 1.0, "metric read");
        ObjectNode out = AwsTool.result(t);
        out.put("namespace", namespace);
        out.put("metric_name", metric);
        ObjectNode d = out.putObject("dimensions");
        new LinkedHashMap<>(dims).forEach(d::put);
        out.put("minutes", minutes);
        out.put("start", w.start().toString());
        out.put("end", w.end().toString());
        out.put("period_seconds", w.periodSeconds());
        out.set("metrics", ServiceMetrics.toJson(w.series()));
        StringBuilder text = new StringBuilder()
                .append(namespace)
                .append(' ')
                .append(metric)
                .append(dims.isEmpty() ? "" : " " + dims)
                .append(" — last ")
                .append(minutes)
                .append(" min, period ")
                .append(w.periodSeconds())
                .append(" s\n")
                .append(MetricsReader.table(out.get("metrics")));
        if (w.series().values().stream().allMatch(s -> s.points().isEmpty())) {
            text.append("\nno data points: CloudWatch matches dimensions exactly (every dimension, exact names and"
                    + " values)\n");
        }
        return ToolResult.ok(text.toString(), out);
    }

    /** A GetMetricData query id for a statistic: lower case, starting with a letter ({@code p99.9} → {@code p99_9}). */
    static String id(String stat) {
        return stat.toLowerCase(Locale.ROOT).replace('.', '_');
    }
}
