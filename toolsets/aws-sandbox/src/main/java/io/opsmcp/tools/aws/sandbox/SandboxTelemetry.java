package io.opsmcp.tools.aws.sandbox;

import java.time.Duration;
import java.time.Instant;

/**
 * Logs and metrics of the simulated services, computed from the time (nothing is stored, so a log group of a
 * million events costs no memory). Before a service's fix ({@link SandboxWorld#fixedAt}) checkout logs
 * OutOfMemoryErrors and its memory saw-tooths to 100 %; after it, it logs requests only and memory stays near
 * half.
 */
final class SandboxTelemetry {

    /** Every simulated log group holds its events over this window before now. */
    static final Duration LOG_WINDOW = Duration.ofHours(1);

    private SandboxTelemetry() {}

    /** One generated log event. */
    record Event(long index, long timestamp, String stream, String message) {}

    /**
     * Event {@code i} of {@code count} spread evenly over [{@code start}, {@code end}).
     *
     * @param fixedAt when the service was fixed, or null
     */
    static Event event(String service, long i, long count, Instant start, Instant end, Instant fixedAt) {
        long span = end.toEpochMilli() - start.toEpochMilli();
        long ts = start.toEpochMilli() + (count == 0 ? 0 : (long) ((double) i * span / count));
        String task = SandboxWorld.hex(service + "-task-" + (i % 3), 32);
        String stream = "ecs/" + service + "/" + task;
        String requestId = SandboxWorld.uuid(service + "-req-" + i);
        boolean fixed = fixedAt != null && ts >= fixedAt.toEpochMilli();
        String message = switch (service) {
            case "checkout" -> {
                if (!fixed && i % 15 == 7) {
                    yield "ERROR [http-nio-8080-exec-" + (i % 20) + "] c.s.checkout.CartService - request " + requestId
                            + " failed: java.lang.OutOfMemoryError: Java heap space";
                } else if (!fixed && i % 5 == 2) {
                    yield "WARN  [gc] GC overhead: heap usage " + (90 + i % 10) + "% after full collection ("
                            + (480 + i % 30) + "MB of 512MB)";
                }
                yield "INFO  [http-nio-8080-exec-" + (i % 20) + "] c.s.checkout.CartController - POST /api/cart/"
                        + (1000 + i % 977) + "/checkout 200 " + (20 + i % 80) + "ms request_id=" + requestId;
            }
            case "catalog" ->
                i % 60 == 30
                        ? "WARN  c.s.catalog.ProductRepository - slow query took " + (1100 + i % 300)
                                + " ms (products by category)"
                        : "INFO  c.s.catalog.ProductController - GET /api/products/" + (i % 5000) + " 200 "
                                + (5 + i % 30) + "ms";
            case "payments" ->
                "INFO  c.s.payments.PaymentService - authorised payment " + requestId + " amount=" + (10 + i % 400)
                        + ".00 EUR";
            default ->
                i % 10_000 == 9_999
                        ? "ERROR search.Indexer - shard " + (i % 12) + " timed out after 3000 ms (request " + requestId
                                + ")"
                        : i % 1_000 == 999
                                ? "WARN  search.Query - slow query q=item-" + i + " took " + (800 + i % 400) + "ms"
                                : "INFO  search.Query - GET /search?q=item-" + i + " 200 " + (i % 50) + "ms request_id="
                                        + requestId;
        };
        return new Event(i, ts, stream, message);
    }

    /** How many events a service's log group holds over the window. */
    static long eventCount(SandboxWorld.Svc s) {
        return s.logEvents;
    }

    /**
     * A metric value at a time.
     *
     * @param metric CloudWatch metric name (CPUUtilization, MemoryUtilization, HTTPCode_Target_5XX_Count,
     *               HTTPCode_ELB_5XX_Count, TargetResponseTime)
     * @param stat   Average, Maximum, Sum, …
     */
    static double metric(String service, String metric, String stat, Instant at, Instant fixedAt) {
        long minute = at.getEpochSecond() / 60;
        boolean fixed = fixedAt != null && !at.isBefore(fixedAt.minusSeconds(60));
        boolean max = "Maximum".equals(stat);
        double wave = (minute % 8) / 7.0;
        return switch (metric) {
            case "CPUUtilization" ->
                switch (service) {
                    case "checkout" -> (max ? 55 : 35) + 15 * wave;
                    case "search" -> (max ? 60 : 45) + 10 * wave;
                    default -> (max ? 25 : 15) + 8 * wave;
                };
            case "MemoryUtilization" -> {
                if ("checkout".equals(service) && !fixed) {
                    yield max ? Math.min(100, 80 + 20 * wave) : 65 + 25 * wave;
                }
                yield (max ? 55 : 45) + 5 * wave;
            }
            case "HTTPCode_Target_5XX_Count" -> "checkout".equals(service) && !fixed ? 3 + minute % 5 : 0;
            case "HTTPCode_ELB_5XX_Count" -> "checkout".equals(service) && !fixed && minute % 4 == 0 ? 2 : 0;
            case "RequestCount" -> ("checkout".equals(service) ? 110 : 300) + 20 * wave;
            case "TargetResponseTime" -> "checkout".equals(service) && !fixed ? 0.35 + 0.2 * wave : 0.08 + 0.04 * wave;
            default -> 0;
        };
    }
}
