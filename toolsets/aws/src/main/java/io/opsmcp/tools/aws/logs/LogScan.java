package io.opsmcp.tools.aws.logs;

import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.logs.LogScanner.Level;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One bounded scan of a service's CloudWatch Logs: what {@code ecs_logs} returns and {@code ecs_troubleshoot} reads.
 * {@code levels} counts every event scanned; {@code lines} holds at most the requested number.
 */
public record LogScan(
        AccountRegion where,
        String cluster,
        String service,
        String container,
        String logGroup,
        String streamPrefix,
        String filterPattern,
        Instant since,
        boolean newest,
        long eventsScanned,
        int pages,
        boolean complete,
        String stopReason,
        List<Line> lines,
        Map<Level, Long> levels,
        List<SignatureCount> topSignatures,
        long signaturesNotTracked) {

    /** One log line; {@code timestamp} null when CloudWatch gave none. */
    public record Line(Instant timestamp, String stream, String message) {}

    /** A message signature (numbers, ids, hex and IPs collapsed), how often it occurred and one example. */
    public record SignatureCount(String signature, Level level, long count, String example) {}

    public LogScan {
        lines = List.copyOf(lines);
        levels = Map.copyOf(levels);
        topSignatures = List.copyOf(topSignatures);
    }

    /** Events of this level among those scanned. */
    public long count(Level level) {
        return levels.getOrDefault(level, 0L);
    }

    /** The structured content of {@code ecs_logs}. */
    public ObjectNode toJson() {
        ObjectNode out = where.json();
        out.put("cluster", cluster);
        out.put("service", service);
        out.put("container", container);
        out.put("log_group", logGroup);
        out.put("stream_prefix", streamPrefix);
        out.put("filter_pattern", filterPattern);
        out.put("since", since.toString());
        out.put("order", newest ? "newest" : "oldest");
        out.put("events_scanned", eventsScanned);
        out.put("pages", pages);
        out.put("complete", complete);
        out.put("stop_reason", stopReason);
        ArrayNode arr = out.putArray("lines");
        for (Line l : lines) {
            arr.addObject()
                    .put(
                            "timestamp",
                            l.timestamp() == null ? null : l.timestamp().toString())
                    .put("stream", l.stream())
                    .put("message", l.message());
        }
        ObjectNode summary = out.putObject("summary");
        ObjectNode lv = summary.putObject("levels");
        for (Level l : Level.values()) {
            lv.put(l.name().toLowerCase(Locale.ROOT), count(l));
        }
        ArrayNode top = summary.putArray("top_signatures");
        topSignatures.forEach(s -> top.addObject()
                .put("signature", s.signature())
                .put("level", s.level().name().toLowerCase(Locale.ROOT))
                .put("count", s.count())
                .put("example", s.example()));
        summary.put("signatures_not_tracked", signaturesNotTracked);
        return out;
    }
}
