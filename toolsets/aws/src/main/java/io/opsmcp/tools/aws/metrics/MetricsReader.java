package io.opsmcp.tools.aws.metrics;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the CloudWatch metrics of an ECS service ({@link ServiceMetrics}) with GetMetricData on {@code AWS/ECS}
 * CPUUtilization and MemoryUtilization (dimensions ClusterName, ServiceName) and, for a service behind an
 * Application Load Balancer, {@code AWS/ApplicationELB} HTTPCode_Target_5XX_Count, HTTPCode_ELB_5XX_Count and
 * TargetResponseTime (dimensions LoadBalancer {@code app/NAME/ID} and TargetGroup {@code targetgroup/NAME/ID},
 * the ARN suffixes, as the ELB CloudWatch metrics docs define them).
 */
public final class MetricsReader {

    static final int MAX_POINTS = 60;
    private static final String BARS = "▁▂▃▄▅▆▇█";

    private MetricsReader() {}

    /** One metric query: id, namespace, metric name, statistic, unit shown, dimensions (name → value). */
    public record Spec(
            String id, String namespace, String metric, String stat, String unit, Map<String, String> dims) {}

    /** Period in seconds (a multiple of 60) giving at most {@value #MAX_POINTS} points over {@code minutes}. */
    public static int period(int minutes) {
        int perPoint = (int) Math.ceil(minutes * 60.0 / MAX_POINTS);
        return Math.max(60, (perPoint + 59) / 60 * 60);
    }

    /** A text sparkline; percentages are drawn on a fixed 0..100 scale, other units from min to max. */
    public static String sparkline(List<Double> values, boolean percent) {
        if (values.isEmpty()) {
            return "";
        }
        double min = percent
                ? 0
                : values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = percent
                ? 100
                : values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            int i = max <= min
                    ? 0
                    : (int) Math.round((Math.min(max, Math.max(min, v)) - min) / (max - min) * (BARS.length() - 1));
            sb.append(BARS.charAt(i));
        }
        return sb.toString();
    }

    /** The metrics of a service (the structured content of {@code ecs_metrics}). */
    public static ServiceMetrics read(AwsTarget t, String cluster, String serviceName, int minutes, ToolContext ctx) {
        Service s = Ecs.service(t, cluster, serviceName);
        String clusterName = AwsTool.shortName(s.clusterArn() == null ? cluster : s.clusterArn());
        List<Spec> specs = new ArrayList<>();
        Map<String, String> svc = new LinkedHashMap<>();
        svc.put("ClusterName", clusterName);
        svc.put("ServiceName", s.serviceName());
        specs.add(new Spec("cpu_avg", "AWS/ECS", "CPUUtilization", "Average", "%", svc));
        specs.add(new Spec("cpu_max", "AWS/ECS", "CPUUtilization", "Maximum", "%", svc));
        specs.add(new Spec("memory_avg", "AWS/ECS", "MemoryUtilization", "Average", "%", svc));
        specs.add(new Spec("memory_max", "AWS/ECS", "MemoryUtilization", "Maximum", "%", svc));
        ctx.progress().report(1, 3.0, "described service");
        List<LoadBalancer> lbs = Ecs.loadBalancers(s).stream()
                .filter(lb -> lb.targetGroupArn() != null)
                .toList();
        if (!lbs.isEmpty()) {
            List<String> arns =
                    lbs.stream().map(LoadBalancer::targetGroupArn).distinct().toList();
            List<TargetGroup> groups = Ecs.targetGroups(t, serviceName, arns);
            int n = 0;
            for (TargetGroup tg : groups) {
                if (tg.loadBalancerArns().isEmpty()) {
                    continue;
                }
                String lbDim = arnSuffix(tg.loadBalancerArns().get(0), ":loadbalancer/");
                String tgDim = arnSuffix(tg.targetGroupArn(), ":");
                String suffix = n == 0 ? "" : "_" + n;
                Map<String, String> both = new LinkedHashMap<>();
                both.put("TargetGroup", tgDim);
                both.put("LoadBalancer", lbDim);
                specs.add(new Spec(
                        "target_5xx" + suffix,
                        "AWS/ApplicationELB",
                        "HTTPCode_Target_5XX_Count",
                        "Sum",
                        "count",
                        both));
                specs.add(new Spec(
                        "elb_5xx" + suffix,
                        "AWS/ApplicationELB",
                        "HTTPCode_ELB_5XX_Count",
                        "Sum",
                        "count",
                        Map.of("LoadBalancer", lbDim)));
                // the denominator of the 5xx rate: a handful of errors in a busy hour is not an incident
                specs.add(new Spec("requests" + suffix, "AWS/ApplicationELB", "RequestCount", "Sum", "count", both));
                specs.add(new Spec(
                        "target_response_time" + suffix,
                        "AWS/ApplicationELB",
                        "TargetResponseTime",
                        "Average",
                        "s",
                        both));
                n++;
            }
        }
        ctx.progress().report(2, 3.0, "querying " + specs.size() + " metrics");
        Window w = query(t, specs, minutes, "metrics of service " + serviceName);
        ctx.progress().report(3, 3.0, "metrics read");
        return new ServiceMetrics(
                AccountRegion.of(t),
                clusterName,
                s.serviceName(),
                minutes,
                w.periodSeconds(),
                w.start(),
                w.end(),
                w.series());
    }

    /** The series read for a list of {@link Spec}s, by spec id in the order given, over a window ending now. */
    public record Window(int periodSeconds, Instant start, Instant end, Map<String, ServiceMetrics.Series> series) {}

    /**
     * GetMetricData (MetricStat queries only, paged, at most 10 pages) for {@code specs} over the last {@code minutes}
     * at {@link #period}, each series summarised (min/avg/max/latest/sum, rounded to three decimals) with a
     * sparkline: the one helper behind {@code ecs_metrics} and {@code cloudwatch_metric}.
     *
     * @param subject what the metrics are about, for error messages
     */
    public static Window query(AwsTarget t, List<Spec> specs, int minutes, String subject) {
        int period = period(minutes);
        Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant start = end.minus(Duration.ofMinutes(minutes));
        List<MetricDataQuery> queries = specs.stream()
                .map(sp -> MetricDataQuery.builder()
                        .id(sp.id())
                        .metricStat(ms -> ms.period(period)
                                .stat(sp.stat())
                                .metric(m -> m.namespace(sp.namespace())
                                        .metricName(sp.metric())
                                        .dimensions(sp.dims().entrySet().stream()
                                                .map(e -> Dimension.builder()
                                                        .name(e.getKey())
                                                        .value(e.getValue())
                                                        .build())
                                                .toList())))
                        .returnData(true)
                        .build())
                .toList();
        Map<String, TreeMap<Instant, Double>> series = new LinkedHashMap<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetMetricDataResponse r = t.call(
                    AwsAction.CLOUDWATCH_GET_METRIC_DATA,
                    subject,
                    () -> t.cloudWatch()
                            .getMetricData(b -> b.metricDataQueries(queries)
                                    .startTime(start)
                                    .endTime(end)
                                    .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                                    .nextToken(next)));
            for (MetricDataResult res : r.metricDataResults()) {
                TreeMap<Instant, Double> points = series.computeIfAbsent(res.id(), k -> new TreeMap<>());
                for (int i = 0; i < res.timestamps().size() && i < res.values().size(); i++) {
                    points.put(res.timestamps().get(i), res.values().get(i));
                }
            }
            token = r.nextToken();
            pages++;
        } while (token != null && pages < 10);

        Map<String, ServiceMetrics.Series> metrics = new LinkedHashMap<>();
        for (Spec sp : specs) {
            TreeMap<Instant, Double> points = series.getOrDefault(sp.id(), new TreeMap<>());
            List<Double> values = new ArrayList<>(points.values());
            Double min = null;
            Double avg = null;
            Double max = null;
            Double latest = null;
            Double sum = null;
            if (!values.isEmpty()) {
                double total = values.stream().mapToDouble(Double::doubleValue).sum();
                min = round(
                        values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
                avg = round(total / values.size());
                max = round(
                        values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
                latest = round(values.get(values.size() - 1));
                sum = round(total);
            }
            List<ServiceMetrics.Point> pts = new ArrayList<>();
            points.forEach((ts, v) -> pts.add(new ServiceMetrics.Point(ts, round(v))));
            metrics.put(
                    sp.id(),
                    new ServiceMetrics.Series(
                            sp.namespace(),
                            sp.metric(),
                            sp.stat(),
                            sp.unit(),
                            pts,
                            min,
                            avg,
                            max,
                            latest,
                            sum,
                            sparkline(values, "%".equals(sp.unit()))));
        }
        return new Window(period, start, end, metrics);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /** The part of an ARN after {@code marker} ({@code app/NAME/ID}, {@code targetgroup/NAME/ID}). */
    static String arnSuffix(String arn, String marker) {
        int i = marker.equals(":") ? arn.lastIndexOf(':') : arn.indexOf(marker);
        return i < 0 ? arn : arn.substring(i + marker.length());
    }

    /** Renders the structured content of {@code ecs_metrics} as text. */
    static String text(ObjectNode o) {
        StringBuilder sb = new StringBuilder();
        sb.append("service ")
                .append(o.get("service").asString())
                .append(" — last ")
                .append(o.get("minutes").asInt())
                .append(" min, period ")
                .append(o.get("period_seconds").asInt())
                .append(" s\n");
        sb.append(table(o.get("metrics")));
        return sb.toString();
    }

    /** The metrics object of a result ({@link ServiceMetrics#toJson}) as a table with a trend column. */
    static String table(tools.jackson.databind.JsonNode metrics) {
        List<List<String>> rows = new ArrayList<>();
        metrics.properties().forEach(e -> {
            var m = e.getValue();
            rows.add(Text.row(
                    e.getKey(),
                    m.get("stat").asString(),
                    num(m.get("min")),
                    num(m.get("avg")),
                    num(m.get("max")),
                    m.get("unit").asString(),
                    m.get("sparkline").asString()));
        });
        return Text.table(List.of("METRIC", "STAT", "MIN", "AVG", "MAX", "UNIT", "TREND"), rows);
    }

    private static String num(tools.jackson.databind.JsonNode n) {
        return n == null || n.isNull() ? "-" : String.valueOf(n.asDouble());
    }
}
