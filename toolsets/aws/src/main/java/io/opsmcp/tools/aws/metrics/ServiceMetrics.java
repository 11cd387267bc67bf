package io.opsmcp.tools.aws.metrics;

import io.opsmcp.tools.aws.common.AccountRegion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CloudWatch metrics of a service over a window: what {@code ecs_metrics} returns and {@code ecs_troubleshoot}
 * reads. Metric ids: {@code cpu_avg}, {@code cpu_max}, {@code memory_avg}, {@code memory_max} and, behind a load
 * balancer, {@code target_5xx}, {@code elb_5xx}, {@code requests}, {@code target_response_time} (suffixed
 * {@code _1}, {@code _2} … for further target groups).
 */
public record ServiceMetrics(
        AccountRegion where,
        String cluster,
        String service,
        int minutes,
        int periodSeconds,
        Instant start,
        Instant end,
        Map<String, Series> metrics) {

    /** A statistic of a series. */
    public enum Stat {
        MIN,
        AVG,
        MAX,
        LATEST,
        SUM
    }

    /** One point, its value rounded to three decimals. */
    public record Point(Instant time, double value) {}

    /**
     * One metric series with its statistics (rounded to three decimals; null when there are no points) and a
     * sparkline.
     */
    public record Series(
            String namespace,
            String metric,
            String stat,
            String unit,
            List<Point> points,
            Double min,
            Double avg,
            Double max,
            Double latest,
            Double sum,
            String sparkline) {

        public Series {
            points = List.copyOf(points);
        }

        public Double value(Stat s) {
            return switch (s) {
                case MIN -> min;
                case AVG -> avg;
                case MAX -> max;
                case LATEST -> latest;
                case SUM -> sum;
            };
        }
    }

    /** A statistic of a metric id, or null when the metric was not read or has no points. */
    public Double value(String id, Stat stat) {
        Series s = metrics.get(id);
        return s == null ? null : s.value(stat);
    }

    /** The structured content of {@code ecs_metrics}. */
    public ObjectNode toJson() {
        ObjectNode out = where.json();
        out.put("cluster", cluster);
        out.put("service", service);
        out.put("minutes", minutes);
        out.put("period_seconds", periodSeconds);
        out.put("start", start.toString());
        out.put("end", end.toString());
        out.set("metrics", toJson(metrics));
        return out;
    }

    /**
     * Series by id as JSON: id → {namespace, metric, stat, unit, points, min, avg, max, latest, sum, sparkline,
     * series [[time, value]]}, the {@code metrics} member of {@code ecs_metrics} and {@code cloudwatch_metric}.
     */
    public static ObjectNode toJson(Map<String, Series> metrics) {
        ObjectNode all = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        metrics.forEach((id, s) -> {
            ObjectNode m = all.putObject(id);
            m.put("namespace", s.namespace());
            m.put("metric", s.metric());
            m.put("stat", s.stat());
            m.put("unit", s.unit());
            m.put("points", s.points().size());
            m.put("min", s.min());
            m.put("avg", s.avg());
            m.put("max", s.max());
            m.put("latest", s.latest());
            m.put("sum", s.sum());
            m.put("sparkline", s.sparkline());
            ArrayNode arr = m.putArray("series");
            s.points().forEach(p -> arr.addArray().add(p.time().toString()).add(p.value()));
        });
        return all;
    }
}
