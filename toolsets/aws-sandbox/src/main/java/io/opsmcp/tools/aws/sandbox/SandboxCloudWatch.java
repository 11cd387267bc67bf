package io.opsmcp.tools.aws.sandbox;

import io.opsmcp.tools.aws.sandbox.AwsWire.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's CloudWatch alarms (DescribeAlarms, DescribeAlarmHistory, in CBOR) and Logs Insights queries
 * (StartQuery, GetQueryResults, StopQuery, in JSON 1.1) over the generated log groups {@code /ecs/shop/SERVICE}.
 *
 * <p>Alarms: {@value #CHECKOUT_MEMORY_ALARM} (AWS/ECS MemoryUtilization Maximum ≥ 90 % for 3 minutes, ClusterName
 * shop, ServiceName checkout, notifying SNS topic {@value #ALERTS_TOPIC}) and {@code shop-checkout-5xx} are in ALARM
 * until checkout is fixed, then OK; the catalog and search CPU alarms are OK; composite {@code shop-checkout-degraded}
 * follows checkout's two. Logs Insights understands {@code fields}, {@code filter @message like /regex/} or
 * {@code like "text"}, {@code sort @timestamp [asc|desc]}, {@code limit N} and {@code stats count(*)}; a query is
 * {@code Running} at its first GetQueryResults and {@code Complete} from the second.
 */
final class SandboxCloudWatch {

    static final String CHECKOUT_MEMORY_ALARM = "shop-checkout-memory-high";
    static final String ALERTS_TOPIC =
            "arn:aws:sns:" + SandboxWorld.REGION + ":" + SandboxWorld.ACCOUNT_ID + ":shop-alerts";
    static final int ROW_LIMIT = 10_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> TIMESTAMPS = Set.of(
            "StateUpdatedTimestamp", "AlarmConfigurationUpdatedTimestamp", "StateTransitionedTimestamp", "Timestamp");
    private static final DateTimeFormatter INSIGHTS_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern LIKE_REGEX =
            Pattern.compile("filter\\s+@message\\s+like\\s+/(.*?)/", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIKE_TEXT =
            Pattern.compile("filter\\s+@message\\s+like\\s+\"(.*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIMIT = Pattern.compile("limit\\s+(\\d+)", Pattern.CASE_INSENSITIVE);

    private final SandboxWorld world;
    private final Instant started;
    private final Map<String, Query> queries = new ConcurrentHashMap<>();

    SandboxCloudWatch(SandboxWorld world, Instant started) {
        this.world = world;
        this.started = started;
    }

    // ---- alarms (CBOR) ----------------------------------------------------------------------------------------

    /** One alarm as the sandbox holds it; {@code service} decides its state (ALARM until the service is fixed). */
    private record Alarm(
            String name,
            String service,
            String namespace,
            String metric,
            String stat,
            double threshold,
            Map<String, String> dims,
            String description) {}

    private List<Alarm> alarms() {
        SandboxWorld.Svc checkout = world.service("checkout");
        String tg = checkout.targetGroupArn.substring(checkout.targetGroupArn.lastIndexOf(':') + 1);
        String lb = checkout.loadBalancerArn.substring(checkout.loadBalancerArn.indexOf(":loadbalancer/") + 14);
        return List.of(
                new Alarm(
                        CHECKOUT_MEMORY_ALARM,
                        "checkout",
                        "AWS/ECS",
                        "MemoryUtilization",
                        "Maximum",
                        90,
                        Map.of("ClusterName", SandboxWorld.CLUSTER, "ServiceName", "checkout"),
                        "checkout tasks near their memory limit (they are killed at 100 %)"),
                new Alarm(
                        "shop-checkout-5xx",
                        "checkout",
                        "AWS/ApplicationELB",
                        "HTTPCode_Target_5XX_Count",
                        "Sum",
                        10,
                        Map.of("TargetGroup", tg, "LoadBalancer", lb),
                        "checkout answers 5xx"),
                new Alarm(
                        "shop-catalog-cpu-high",
                        null,
                        "AWS/ECS",
                        "CPUUtilization",
                        "Average",
                        80,
                        Map.of("ClusterName", SandboxWorld.CLUSTER, "ServiceName", "catalog"),
                        "catalog CPU"),
                new Alarm(
                        "shop-search-cpu-high",
                        null,
                        "AWS/ECS",
                        "CPUUtilization",
                        "Average",
                        80,
                        Map.of("ClusterName", SandboxWorld.CLUSTER, "ServiceName", "search"),
                        "search CPU"));
    }

    /** When the alarm went into ALARM: 40 minutes before the sandbox started, as checkout's tasks began dying. */
    private Instant firedAt() {
        return started.minus(Duration.ofMinutes(40));
    }

    private Instant resolvedAt(Alarm a) {
        return a.service() == null ? null : world.fixedAt(world.service(a.service()));
    }

    private String state(Alarm a) {
        return a.service() == null || resolvedAt(a) != null ? "OK" : "ALARM";
    }

    private String reason(Alarm a) {
        if ("ALARM".equals(state(a))) {
            return "Threshold Crossed: 3 out of the last 3 datapoints [100.0 (" + INSIGHTS_TIME.format(firedAt())
                    + "), 97.4, 95.1] were greater than or equal to the threshold (" + a.threshold()
                    + ") (minimum 3 datapoints for OK -> ALARM transition).";
        }
        return "Threshold Crossed: 3 out of the last 3 datapoints were not greater than or equal to the threshold ("
                + a.threshold() + ") (minimum 3 datapoints for ALARM -> OK transition).";
    }

    private Instant stateSince(Alarm a) {
        Instant resolved = resolvedAt(a);
        return resolved != null ? resolved : a.service() == null ? started.minus(Duration.ofDays(2)) : firedAt();
    }

    Reply cloudWatch(String operation, byte[] body) {
        JsonNode in = AwsWire.readCbor(body);
        return switch (operation) {
            case "DescribeAlarms" -> describeAlarms(in);
            case "DescribeAlarmHistory" -> describeAlarmHistory(in);
            default -> AwsWire.cborError("InvalidAction", "the sandbox does not simulate CloudWatch " + operation);
        };
    }

    private Reply describeAlarms(JsonNode in) {
        String prefix = in.path("AlarmNamePrefix").asString("");
        String stateFilter = in.path("StateValue").asString(null);
        ObjectNode out = JSON.objectNode();
        ArrayNode metric = out.putArray("MetricAlarms");
        for (Alarm a : alarms()) {
            if (!a.name().startsWith(prefix) || (stateFilter != null && !stateFilter.equals(state(a)))) {
                continue;
            }
            ObjectNode o = metric.addObject();
            o.put("AlarmName", a.name());
            o.put("AlarmArn", arn(a.name()));
            o.put("AlarmDescription", a.description());
            o.put("AlarmConfigurationUpdatedTimestamp", SandboxWorld.epoch(started.minus(Duration.ofDays(20))));
            o.put("ActionsEnabled", true);
            o.putArray("AlarmActions").add(ALERTS_TOPIC);
            o.putArray("OKActions").add(ALERTS_TOPIC);
            o.put("StateValue", state(a));
            o.put("StateReason", reason(a));
            o.put("StateUpdatedTimestamp", SandboxWorld.epoch(stateSince(a)));
            o.put("MetricName", a.metric());
            o.put("Namespace", a.namespace());
            o.put("Statistic", a.stat());
            ArrayNode dims = o.putArray("Dimensions");
            a.dims().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> dims.addObject().put("Name", e.getKey()).put("Value", e.getValue()));
            o.put("Period", 60);
            o.put("EvaluationPeriods", 3);
            o.put("DatapointsToAlarm", 3);
            o.put("Threshold", a.threshold());
            o.put("ComparisonOperator", "GreaterThanOrEqualToThreshold");
            o.put("TreatMissingData", "missing");
        }
        ArrayNode composite = out.putArray("CompositeAlarms");
        String name = "shop-checkout-degraded";
        String state = state(alarms().get(0));
        if (name.startsWith(prefix) && (stateFilter == null || stateFilter.equals(state))) {
            composite
                    .addObject()
                    .put("AlarmName", name)
                    .put("AlarmArn", arn(name))
                    .put("AlarmRule", "ALARM(\"" + CHECKOUT_MEMORY_ALARM + "\") OR ALARM(\"shop-checkout-5xx\")")
                    .put("ActionsEnabled", false)
                    .put("StateValue", state)
                    .put("StateReason", "arn:aws:cloudwatch:… " + CHECKOUT_MEMORY_ALARM + " transitioned to " + state)
                    .put("StateUpdatedTimestamp", SandboxWorld.epoch(stateSince(alarms().get(0))));
        }
        return AwsWire.cbor(out, TIMESTAMPS);
    }

    private Reply describeAlarmHistory(JsonNode in) {
        String only = in.path("AlarmName").asString(null);
        String type = in.path("HistoryItemType").asString(null);
        double from = in.path("StartDate").asDouble(0);
        double to = in.path("EndDate").asDouble(Double.MAX_VALUE);
        List<ObjectNode> items = new ArrayList<>();
        for (Alarm a : alarms()) {
            if (only != null && !only.equals(a.name())) {
                continue;
            }
            items.add(item(
                    a.name(),
                    started.minus(Duration.ofDays(20)),
                    "ConfigurationUpdate",
                    "Alarm \"" + a.name() + "\" created",
                    "{\"type\":\"Create\",\"version\":\"1.0\"}"));
            if (a.service() != null) {
                items.add(item(
                        a.name(),
                        firedAt(),
                        "StateUpdate",
                        "Alarm updated from OK to ALARM",
                        stateData("OK", "ALARM", reasonText(a, "ALARM"))));
                items.add(item(
                        a.name(),
                        firedAt().plusSeconds(1),
                        "Action",
                        "Successfully executed action " + ALERTS_TOPIC,
                        "{\"actionState\":\"Succeeded\",\"notificationResource\":\"" + ALERTS_TOPIC + "\"}"));
                Instant resolved = resolvedAt(a);
                if (resolved != null) {
                    items.add(item(
                            a.name(),
                            resolved,
                            "StateUpdate",
                            "Alarm updated from ALARM to OK",
                            stateData("ALARM", "OK", reasonText(a, "OK"))));
                }
            }
        }
        items.removeIf(
                i -> (type != null && !type.equals(i.get("HistoryItemType").asString()))
                        || i.get("Timestamp").asDouble() < from
                        || i.get("Timestamp").asDouble() > to);
        items.sort((x, y) ->
                Double.compare(y.get("Timestamp").asDouble(), x.get("Timestamp").asDouble()));
        ObjectNode out = JSON.objectNode();
        ArrayNode arr = out.putArray("AlarmHistoryItems");
        items.forEach(arr::add);
        return AwsWire.cbor(out, TIMESTAMPS);
    }

    private String reasonText(Alarm a, String to) {
        return "ALARM".equals(to)
                ? "Threshold Crossed: 3 out of the last 3 datapoints were greater than or equal to the threshold ("
                        + a.threshold() + ")."
                : "Threshold Crossed: 3 out of the last 3 datapoints were not greater than or equal to the threshold ("
                        + a.threshold() + ").";
    }

    private static String stateData(String from, String to, String reason) {
        ObjectNode d = JSON.objectNode();
        d.put("version", "1.0");
        d.putObject("oldState").put("stateValue", from);
        d.putObject("newState").put("stateValue", to).put("stateReason", reason);
        return d.toString();
    }

    private static ObjectNode item(String alarm, Instant at, String type, String summary, String data) {
        return JSON.objectNode()
                .put("AlarmName", alarm)
                .put("AlarmType", "MetricAlarm")
                .put("Timestamp", SandboxWorld.epoch(at))
                .put("HistoryItemType", type)
                .put("HistorySummary", summary)
                .put("HistoryData", data);
    }

    private static String arn(String name) {
        return "arn:aws:cloudwatch:" + SandboxWorld.REGION + ":" + SandboxWorld.ACCOUNT_ID + ":alarm:" + name;
    }

    // ---- Logs Insights (JSON 1.1) -------------------------------------------------------------------------------

    /** A started query. */
    private static final class Query {
        final SandboxWorld.Svc svc;
        final String text;
        final long startMillis;
        final long endMillis;
        final int limit;
        final Instant anchor;
        int polls;
        String status = "Running";

        Query(SandboxWorld.Svc svc, String text, long startMillis, long endMillis, int limit, Instant anchor) {
            this.svc = svc;
            this.text = text;
            this.startMillis = startMillis;
            this.endMillis = endMillis;
            this.limit = limit;
            this.anchor = anchor;
        }
    }

    /** Whether this class answers the Logs operation. */
    static boolean insights(String operation) {
        return operation.equals("StartQuery") || operation.equals("GetQueryResults") || operation.equals("StopQuery");
    }

    Reply logs(String operation, JsonNode in) {
        switch (operation) {
            case "StartQuery" -> {
                JsonNode groups = in.path("logGroupNames");
                if (groups.size() != 1) {
                    return AwsWire.jsonError(
                            400, "InvalidParameterException", "the sandbox queries exactly one log group");
                }
                String group = groups.get(0).asString();
                SandboxWorld.Svc svc =
                        group.startsWith("/ecs/shop/") ? world.service(group.substring("/ecs/shop/".length())) : null;
                if (svc == null) {
                    return AwsWire.jsonError(
                            400, "ResourceNotFoundException", "Log group '" + group + "' does not exist");
                }
                String id = java.util.UUID.randomUUID().toString();
                queries.put(
                        id,
                        new Query(
                                svc,
                                in.path("queryString").asString(""),
                                in.path("startTime").asLong() * 1000,
                                in.path("endTime").asLong() * 1000 + 999,
                                Math.min(ROW_LIMIT, in.path("limit").asInt(1000)),
                                Instant.now()));
                return AwsWire.json(JSON.objectNode().put("queryId", id));
            }
            case "StopQuery" -> {
                Query q = queries.get(in.path("queryId").asString(""));
                synchronized (this) {
                    if (q == null || !"Running".equals(q.status)) {
                        return AwsWire.jsonError(400, "InvalidParameterException", "Query is already ended");
                    }
                    q.status = "Cancelled";
                }
                return AwsWire.json(JSON.objectNode().put("success", true));
            }
            default -> {
                Query q = queries.get(in.path("queryId").asString(""));
                if (q == null) {
                    return AwsWire.jsonError(400, "ResourceNotFoundException", "Query does not exist");
                }
                synchronized (this) {
                    q.polls++;
                    if (q.polls >= 2 && "Running".equals(q.status)) {
                        q.status = "Complete";
                    }
                }
                return results(q);
            }
        }
    }

    private Reply results(Query q) {
        ObjectNode out = JSON.objectNode();
        ArrayNode results = out.putArray("results");
        String text = q.text;
        Matcher regex = LIKE_REGEX.matcher(text);
        Matcher plain = LIKE_TEXT.matcher(text);
        Pattern filter = regex.find()
                ? Pattern.compile(regex.group(1))
                : plain.find() ? Pattern.compile(Pattern.quote(plain.group(1))) : null;
        Matcher limitMatch = LIMIT.matcher(text);
        int limit = limitMatch.find() ? Math.min(q.limit, Integer.parseInt(limitMatch.group(1))) : q.limit;
        boolean desc = text.toLowerCase(Locale.ROOT).matches("(?s).*sort\\s+@timestamp\\s+desc.*");
        boolean count = text.toLowerCase(Locale.ROOT).contains("stats count(*)");
        long total = SandboxTelemetry.eventCount(q.svc);
        Instant end = q.anchor;
        Instant start = end.minus(SandboxTelemetry.LOG_WINDOW);
        long span = end.toEpochMilli() - start.toEpochMilli();
        long from = q.startMillis <= start.toEpochMilli()
                ? 0
                : (long) Math.ceil((double) (q.startMillis - start.toEpochMilli()) * total / span);
        Instant fixedAt = world.fixedAt(q.svc);
        java.util.ArrayDeque<SandboxTelemetry.Event> matched = new java.util.ArrayDeque<>();
        long matches = 0;
        long scanned = 0;
        boolean complete = "Complete".equals(q.status);
        for (long i = from; i < total && complete; i++) {
            SandboxTelemetry.Event e = SandboxTelemetry.event(q.svc.name, i, total, start, end, fixedAt);
            if (e.timestamp() < q.startMillis) {
                continue;
            }
            if (e.timestamp() > q.endMillis) {
                break;
            }
            scanned++;
            if (filter != null && !filter.matcher(e.message()).find()) {
                continue;
            }
            matches++;
            if (!count) {
                if (desc) {
                    matched.add(e);
                    if (matched.size() > limit) {
                        matched.removeFirst();
                    }
                } else if (matched.size() < limit) {
                    matched.add(e);
                }
            }
        }
        if (count && complete) {
            results.addArray().addObject().put("field", "count(*)").put("value", String.valueOf(matches));
        }
        for (SandboxTelemetry.Event e :
                desc ? (Iterable<SandboxTelemetry.Event>) matched::descendingIterator : matched) {
            ArrayNode row = results.addArray();
            row.addObject()
                    .put("field", "@timestamp")
                    .put("value", INSIGHTS_TIME.format(Instant.ofEpochMilli(e.timestamp())));
            row.addObject().put("field", "@logStream").put("value", e.stream());
            row.addObject().put("field", "@message").put("value", e.message());
            row.addObject().put("field", "@ptr").put("value", "Cm0KJAo" + e.index());
        }
        out.putObject("statistics")
                .put("recordsMatched", (double) matches)
                .put("recordsScanned", (double) scanned)
                .put("bytesScanned", (double) scanned * 180);
        out.put("status", q.status);
        return AwsWire.json(out);
    }
}
