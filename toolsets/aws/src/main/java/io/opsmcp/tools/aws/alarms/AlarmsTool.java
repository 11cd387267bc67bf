package io.opsmcp.tools.aws.alarms;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import io.opsmcp.tools.aws.common.Text;
import io.opsmcp.tools.aws.metrics.Dimensions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudwatch_alarms}: DescribeAlarms (metric and composite alarms, paged by {@code NextToken}, 100 per page)
 * filtered by name prefix and state on the AWS side and by resource — the alarm metric's dimensions — here, since
 * DescribeAlarms has no dimension filter (DescribeAlarmsForMetric needs the metric name too). An alarm on metric math
 * matches when one of its metrics carries the dimensions.
 */
public final class AlarmsTool extends AwsTool {

    static final int MAX_PAGES = 10;

    static final ArgSpec<String> NAME_PREFIX = ArgSpec.string("name_prefix")
            .pattern("^[^\\x00-\\x1f\\x7f]{1,255}$")
            .description("e.g. shop-checkout.");
    static final ArgSpec<String> STATE =
            ArgSpec.oneOf("state", "ALARM", "OK", "INSUFFICIENT_DATA").description("Only alarms in this state.");
    static final ArgSpec<JsonNode> DIMENSIONS =
            Dimensions.spec("Metric dimensions, e.g. {\"ServiceName\":\"checkout\"}.");
    static final ArgSpec<Integer> LIMIT =
            ArgSpec.integer("limit").range(1, 500).defaultValue(100).description("Most alarms to return.");

    public AlarmsTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("name_prefix", NAME_PREFIX.schema());
        in.set("state", STATE.schema());
        in.set("dimensions", DIMENSIONS.schema());
        in.set("limit", LIMIT.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set(
                "alarms",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "name, arn, type (metric/composite), state, state_reason, state_updated, "
                                        + "description, actions_enabled, alarm_actions[]; metric alarms: namespace, metric, "
                                        + "dimensions, statistic, period_seconds, threshold, comparison, evaluation_periods; "
                                        + "composite: rule"),
                        "alarms, those in ALARM first"));
        out.set("counts", JsonSchemas.type("object", "alarms returned by state: ALARM, OK, INSUFFICIENT_DATA"));
        out.set("complete", JsonSchemas.type("boolean", "every matching alarm was read"));
        return new ToolDefinition(
                "cloudwatch_alarms",
                "CloudWatch alarms",
                "CloudWatch alarms with their state and the reason, filtered by name prefix, state or the "
                        + "resource (metric dimensions).",
                JsonSchemas.input(in),
                JsonSchemas.output(out, "account", "region", "alarms", "counts", "complete"),
                ToolAnnotations.readOnly());
    }

    /**
     * Kind {@code cloudwatch:alarm}, name the prefix ({@code *} for all); a ClusterName / ServiceName dimension
     * filter gives the ids {@code cluster} / {@code service}.
     */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        Map<String, String> dims = Dimensions.read(DIMENSIONS, args);
        String prefix = NAME_PREFIX.read(args);
        return descriptor(
                accounts.resolve(args),
                "cloudwatch:alarm",
                prefix == null ? "*" : prefix + "*",
                dims.get("ClusterName"),
                dims.get("ServiceName"),
                null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String prefix = NAME_PREFIX.read(args);
        String state = STATE.read(args);
        Map<String, String> dims = Dimensions.read(DIMENSIONS, args);
        int limit = LIMIT.read(args);
        List<ObjectNode> alarms = new ArrayList<>();
        String token = null;
        int pages = 0;
        boolean complete = true;
        do {
            String next = token;
            DescribeAlarmsResponse r = t.call(
                    AwsAction.CLOUDWATCH_DESCRIBE_ALARMS,
                    prefix == null ? "alarms" : "alarms " + prefix + "*",
                    () -> t.cloudWatch().describeAlarms(b -> {
                        b.alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                                .maxRecords(100)
                                .nextToken(next);
                        if (prefix != null) {
                            b.alarmNamePrefix(prefix);
                        }
                        if (state != null) {
                            b.stateValue(state);
                        }
                    }));
            pages++;
            for (MetricAlarm a : r.metricAlarms()) {
                if (alarms.size() < limit && matches(a, dims)) {
                    alarms.add(metric(a));
                }
            }
            for (CompositeAlarm a : r.compositeAlarms()) {
                if (alarms.size() < limit && dims.isEmpty()) {
                    alarms.add(composite(a));
                }
            }
            token = r.nextToken();
            ctx.progress().report(pages, null, "read " + pages + " page(s) of alarms, " + alarms.size() + " match");
            if (token != null && (alarms.size() >= limit || pages >= MAX_PAGES)) {
                complete = false;
                break;
            }
        } while (token != null);
        // the ones that need attention first, then by name
        alarms.sort((x, y) -> {
            int rx = rank(x.get("state").asString());
            int ry = rank(y.get("state").asString());
            return rx != ry
                    ? Integer.compare(rx, ry)
                    : x.get("name").asString().compareTo(y.get("name").asString());
        });
        ObjectNode out = AwsTool.result(t);
        ArrayNode arr = out.putArray("alarms");
        Map<String, Integer> counts = new TreeMap<>();
        for (ObjectNode a : alarms) {
            arr.add(a);
            counts.merge(a.get("state").asString(), 1, Integer::sum);
        }
        ObjectNode c = out.putObject("counts");
        counts.forEach(c::put);
        out.put("complete", complete);
        return ToolResult.ok(text(out), out);
    }

    private static int rank(String state) {
        return switch (state) {
            case "ALARM" -> 0;
            case "INSUFFICIENT_DATA" -> 1;
            default -> 2;
        };
    }

    /** Whether the alarm's metric (or one of its metric-math metrics) has every wanted dimension. */
    static boolean matches(MetricAlarm a, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (has(a.dimensions(), wanted)) {
            return true;
        }
        for (MetricDataQuery q : a.metrics()) {
            if (q.metricStat() != null
                    && q.metricStat().metric() != null
                    && has(q.metricStat().metric().dimensions(), wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(List<Dimension> dims, Map<String, String> wanted) {
        Map<String, String> m = new LinkedHashMap<>();
        dims.forEach(d -> m.put(d.name(), d.value()));
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(m.get(e.getKey())));
    }

    private static ObjectNode common(
            String type,
            String name,
            String arn,
            String state,
            String reason,
            java.time.Instant updated,
            String description,
            Boolean actionsEnabled,
            List<String> actions) {
        ObjectNode o = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("arn", arn);
        o.put("type", type);
        o.put("state", state);
        o.put("state_reason", reason == null ? null : Text.cut(reason, 1000));
        o.put("state_updated", Text.iso(updated));
        o.put("description", description == null ? null : Text.cut(description, 500));
        o.put("actions_enabled", actionsEnabled);
        ArrayNode acts = o.putArray("alarm_actions");
        actions.forEach(acts::add);
        return o;
    }

    private static ObjectNode metric(MetricAlarm a) {
        ObjectNode o = common(
                "metric",
                a.alarmName(),
                a.alarmArn(),
                a.stateValueAsString(),
                a.stateReason(),
                a.stateUpdatedTimestamp(),
                a.alarmDescription(),
                a.actionsEnabled(),
                a.alarmActions());
        o.put("namespace", a.namespace());
        o.put("metric", a.metricName());
        ObjectNode d = o.putObject("dimensions");
        a.dimensions().forEach(x -> d.put(x.name(), x.value()));
        o.put("statistic", a.statistic() != null ? a.statisticAsString() : a.extendedStatistic());
        o.put("period_seconds", a.period());
        o.put("threshold", a.threshold());
        o.put("comparison", a.comparisonOperatorAsString());
        o.put("evaluation_periods", a.evaluationPeriods());
        if (a.metricName() == null && !a.metrics().isEmpty()) {
            o.put("metric_math", true);
        }
        return o;
    }

    private static ObjectNode composite(CompositeAlarm a) {
        ObjectNode o = common(
                "composite",
                a.alarmName(),
                a.alarmArn(),
                a.stateValueAsString(),
                a.stateReason(),
                a.stateUpdatedTimestamp(),
                a.alarmDescription(),
                a.actionsEnabled(),
                a.alarmActions());
        o.put("rule", a.alarmRule() == null ? null : Text.cut(a.alarmRule(), 1000));
        return o;
    }

    static String text(ObjectNode o) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode a : o.get("alarms")) {
            String what = "composite".equals(a.get("type").asString())
                    ? a.path("rule").asString("-")
                    : a.path("namespace").asString("-") + " " + a.path("metric").asString("-") + " "
                            + a.path("comparison").asString("") + " "
                            + a.path("threshold").asString("");
            rows.add(Text.row(
                    a.get("name").asString(),
                    a.get("state").asString(),
                    a.path("state_updated").asString("-"),
                    what,
                    a.path("state_reason").asString("-")));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(o.get("alarms").size()).append(" alarm(s)");
        List<String> counts = new ArrayList<>();
        o.get("counts")
                .properties()
                .forEach(e -> counts.add(e.getKey() + " " + e.getValue().asInt()));
        if (!counts.isEmpty()) {
            sb.append(" (").append(String.join(", ", counts)).append(')');
        }
        if (!o.get("complete").asBoolean()) {
            sb.append("; more match: narrow name_prefix / state or raise limit");
        }
        sb.append('\n');
        sb.append(Text.table(List.of("ALARM", "STATE", "SINCE", "CONDITION", "REASON"), rows));
        return sb.toString();
    }
}
