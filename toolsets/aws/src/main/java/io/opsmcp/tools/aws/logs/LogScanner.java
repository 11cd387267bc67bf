package io.opsmcp.tools.aws.logs;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scans the CloudWatch Logs of an ECS service ({@link LogScan}). The log group and stream prefix come from the container's
 * {@code awslogs} options (stream names are {@code PREFIX/CONTAINER/TASK_ID}, per the awslogs driver docs).
 * FilterLogEvents is paged with {@code nextToken}; pages are processed one at a time and dropped, so memory
 * stays bounded whatever the size of the log group: at most {@code limit} lines, a fixed-size level count and
 * at most {@value #MAX_SIGNATURES} error signatures are kept.
 */
public final class LogScanner {

    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;
    static final int PAGE_SIZE = 10_000;
    static final int MAX_PAGES = 2_000;
    static final int MAX_SIGNATURES = 500;
    static final int TOP_SIGNATURES = 10;
    static final int MAX_MESSAGE = 2_000;
    /** Longest a scan runs, also bounded by the call's deadline. */
    static final Duration SCAN_BUDGET = Duration.ofSeconds(90);

    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(3);

    private static final Pattern ERROR = Pattern.compile(
            "\\b(ERROR|ERR|FATAL|CRITICAL|SEVERE|PANIC|Exception|OutOfMemoryError|Traceback)\\b|\\bE\\d{4}\\b|\"level\"\\s*:\\s*\"(error|fatal)\"",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WARN =
            Pattern.compile("\\b(WARN|WARNING)\\b|\"level\"\\s*:\\s*\"warn(ing)?\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern INFO =
            Pattern.compile("\\bINFO\\b|\"level\"\\s*:\\s*\"info\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern DEBUG =
            Pattern.compile("\\b(DEBUG|TRACE)\\b|\"level\"\\s*:\\s*\"(debug|trace)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMESTAMP = Pattern.compile(
            "^\\[?\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?]?\\s*");
    private static final Pattern UUID =
            Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    /** Hex ids: 6+ hex digits with at least one digit and one letter (so plain words stay). */
    private static final Pattern HEX =
            Pattern.compile("\\b(0x)?(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{6,}\\b");

    private static final Pattern IP = Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?\\b");
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_<])\\d+(?:[.,]\\d+)?");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private final Accounts accounts;

    /** @param accounts resolves the region a container's awslogs options name, when it differs from the call's */
    public LogScanner(Accounts accounts) {
        this.accounts = accounts;
    }

    /** Log levels recognised in messages. */
    public enum Level {
        ERROR,
        WARN,
        INFO,
        DEBUG,
        OTHER
    }

    /** The level of one message, by the usual level words (also in JSON logs) and exception names. */
    public static Level level(String message) {
        if (ERROR.matcher(message).find()) {
            return Level.ERROR;
        }
        if (WARN.matcher(message).find()) {
            return Level.WARN;
        }
        if (INFO.matcher(message).find()) {
            return Level.INFO;
        }
        if (DEBUG.matcher(message).find()) {
            return Level.DEBUG;
        }
        return Level.OTHER;
    }

    /**
     * A message with what varies between occurrences collapsed: a leading timestamp removed, UUIDs to
     * {@code <uuid>}, IP addresses to {@code <ip>}, hex ids to {@code <hex>}, numbers to {@code <n>}; cut to 200.
     */
    public static String signature(String message) {
        String s = TIMESTAMP.matcher(message.strip()).replaceFirst("");
        s = UUID.matcher(s).replaceAll("<uuid>");
        s = IP.matcher(s).replaceAll("<ip>");
        s = HEX.matcher(s).replaceAll("<hex>");
        s = NUMBER.matcher(s).replaceAll("<n>");
        s = SPACE.matcher(s).replaceAll(" ").strip();
        return Text.cut(s, 200);
    }

    /** Where a container's logs are. */
    record LogSource(String container, String group, String streamPrefix, String region) {}

    /**
     * The awslogs source of a container of the service's current task definition (the named container, else the
     * first essential container that logs to awslogs).
     *
     * @throws ToolException NOT_FOUND when the container does not exist or does not use the awslogs driver
     */
    static LogSource source(TaskDefinition td, String container) {
        List<ContainerDefinition> candidates = td.containerDefinitions().stream()
                .filter(c -> container == null || c.name().equals(container))
                .toList();
        if (candidates.isEmpty()) {
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "container " + container + " is not in task definition "
                            + td.family() + ":" + td.revision() + "; its containers: "
                            + String.join(
                                    ", ",
                                    td.containerDefinitions().stream()
                                            .map(ContainerDefinition::name)
                                            .toList()));
        }
        ContainerDefinition chosen = candidates.stream()
                .filter(c -> c.logConfiguration() != null
                        && "awslogs".equals(c.logConfiguration().logDriverAsString()))
                .sorted(Comparator.comparing((ContainerDefinition c) -> c.essential() != null && !c.essential()))
                .findFirst()
                .orElseThrow(
                        () -> new ToolException(
                                Kind.NOT_FOUND,
                                "no container of task definition " + td.family()
                                        + ":" + td.revision() + (container == null ? "" : " named " + container)
                                        + " logs to CloudWatch Logs (log driver awslogs); ecs_task_definition shows its log configuration"));
        Map<String, String> o = chosen.logConfiguration().options();
        String group = o.get("awslogs-group");
        if (group == null) {
            throw new ToolException(Kind.NOT_FOUND, "container " + chosen.name() + " has no awslogs-group option");
        }
        String prefix = o.get("awslogs-stream-prefix");
        return new LogSource(
                chosen.name(),
                group,
                prefix == null ? null : prefix + "/" + chosen.name() + "/",
                o.get("awslogs-region"));
    }

    /** The request of one scan. */
    public record Query(
            String cluster,
            String service,
            String container,
            String filterPattern,
            Instant since,
            Instant until,
            int limit,
            boolean newest) {}

    /** Runs FilterLogEvents for a service's logs (the structured content of {@code ecs_logs}). */
    public LogScan scan(AwsTarget t, Query q, ToolContext ctx) {
        Service service = Ecs.service(t, q.cluster(), q.service());
        TaskDefinition td = Ecs.taskDefinitionOf(t, service);
        LogSource src = source(td, q.container());
        if (src.region() != null && !src.region().equals(t.region())) {
            if (!t.account().regions().contains(src.region())) {
                throw new ToolException(
                        Kind.FORBIDDEN,
                        "the logs of container " + src.container() + " are in region " + src.region()
                                + ", which account " + t.account().name() + " does not allow");
            }
        }
        AwsTarget logTarget = src.region() == null || src.region().equals(t.region())
                ? t
                : accounts.resolve(regionArgs(t, src.region()));
        Instant scanEnd = Instant.now().plus(SCAN_BUDGET);
        Instant deadline = ctx.deadline().minus(DEADLINE_MARGIN);
        Instant stopAt = scanEnd.isBefore(deadline) ? scanEnd : deadline;

        Deque<FilteredLogEvent> lines = new ArrayDeque<>(Math.min(q.limit(), 1024));
        long[] levels = new long[Level.values().length];
        Map<String, Signature> signatures = new HashMap<>();
        long otherSignatures = 0;
        long scanned = 0;
        int pages = 0;
        String token = null;
        String stopReason = "end of log data";
        boolean complete = true;
        do {
            String next = token;
            int pageLimit = q.newest() ? PAGE_SIZE : Math.min(PAGE_SIZE, q.limit() - lines.size());
            FilterLogEventsResponse page = logTarget.call(
                    AwsAction.LOGS_FILTER_LOG_EVENTS,
                    "log group " + src.group(),
                    () -> logTarget
                            .logs()
                            .filterLogEvents(b -> b.logGroupName(src.group())
                                    .logStreamNamePrefix(src.streamPrefix())
                                    .filterPattern(
                                            q.filterPattern() == null
                                                            || q.filterPattern().isBlank()
                                                    ? null
                                                    : q.filterPattern())
                                    .startTime(q.since().toEpochMilli())
                                    .endTime(q.until().toEpochMilli())
                                    .limit(pageLimit)
                                    .nextToken(next)));
            pages++;
            for (FilteredLogEvent e : page.events()) {
                if (!q.newest() && lines.size() >= q.limit()) {
                    break;
                }
                scanned++;
                String message = e.message() == null ? "" : e.message();
                Level level = level(message);
                levels[level.ordinal()]++;
                if (level == Level.ERROR || level == Level.WARN) {
                    String sig = signature(message);
                    Signature s = signatures.get(sig);
                    if (s != null) {
                        s.count++;
                    } else if (signatures.size() < MAX_SIGNATURES) {
                        signatures.put(sig, new Signature(sig, level, Text.cut(message, 500)));
                    } else {
                        otherSignatures++;
                    }
                }
                if (lines.size() == q.limit()) {
                    lines.removeFirst();
                }
                lines.addLast(e);
            }
            token = page.nextToken();
            ctx.progress().report(pages, null, "scanned " + scanned + " log events in " + pages + " page(s)");
            if (token == null) {
                break;
            }
            if (!q.newest() && lines.size() >= q.limit()) {
                stopReason = "limit reached (oldest first)";
                complete = false;
                break;
            }
            if (pages >= MAX_PAGES) {
                stopReason = "page limit (" + MAX_PAGES + ") reached";
                complete = false;
                break;
            }
            if (Instant.now().isAfter(stopAt)) {
                stopReason = "time budget reached";
                complete = false;
                break;
            }
        } while (true);

        List<LogScan.Line> kept = lines.stream()
                .map(e -> new LogScan.Line(
                        e.timestamp() == null ? null : Instant.ofEpochMilli(e.timestamp()),
                        e.logStreamName(),
                        Text.cut(e.message() == null ? "" : e.message().stripTrailing(), MAX_MESSAGE)))
                .toList();
        Map<Level, Long> levelCounts = new EnumMap<>(Level.class);
        for (Level l : Level.values()) {
            levelCounts.put(l, levels[l.ordinal()]);
        }
        List<LogScan.SignatureCount> top = signatures.values().stream()
                .sorted(Comparator.comparing((Signature s) -> s.level != Level.ERROR)
                        .thenComparing(s -> -s.count))
                .limit(TOP_SIGNATURES)
                .map(s -> new LogScan.SignatureCount(s.text, s.level, s.count, s.example))
                .toList();
        return new LogScan(
                AccountRegion.of(logTarget),
                AwsTool.shortName(q.cluster()),
                service.serviceName(),
                src.container(),
                src.group(),
                src.streamPrefix(),
                q.filterPattern(),
                q.since(),
                q.newest(),
                scanned,
                pages,
                complete,
                stopReason,
                kept,
                levelCounts,
                top,
                otherSignatures);
    }

    private static ObjectNode regionArgs(AwsTarget t, String region) {
        ObjectNode a = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        a.put("account", t.account().name());
        a.put("region", region);
        return a;
    }

    /** Mutable counter of one signature during a scan. */
    private static final class Signature {
        final String text;
        final Level level;
        final String example;
        long count = 1;

        Signature(String text, Level level, String example) {
            this.text = text;
            this.level = level;
            this.example = example;
        }
    }

    /** Renders the structured content of {@code ecs_logs} as text. */
    static String text(ObjectNode o) {
        StringBuilder sb = new StringBuilder();
        sb.append(o.get("log_group").asString())
                .append(" (container ")
                .append(o.get("container").asString())
                .append(", streams ")
                .append(o.path("stream_prefix").asString("*"))
                .append("*) since ")
                .append(o.get("since").asString());
        if (!o.path("filter_pattern").isNull() && o.hasNonNull("filter_pattern")) {
            sb.append(", filter ").append(o.get("filter_pattern").asString());
        }
        sb.append(": ")
                .append(o.get("events_scanned").asLong())
                .append(" event(s) in ")
                .append(o.get("pages").asInt())
                .append(" page(s); ")
                .append(
                        o.get("complete").asBoolean()
                                ? "complete"
                                : "stopped: " + o.get("stop_reason").asString())
                .append('\n');
        ObjectNode s = (ObjectNode) o.get("summary");
        sb.append("levels: ");
        List<String> lv = new ArrayList<>();
        s.get("levels")
                .properties()
                .forEach(e -> lv.add(e.getKey() + " " + e.getValue().asLong()));
        sb.append(String.join(", ", lv)).append('\n');
        if (!s.get("top_signatures").isEmpty()) {
            sb.append("top error/warning signatures:\n");
            for (var sig : s.get("top_signatures")) {
                sb.append("  ")
                        .append(sig.get("count").asLong())
                        .append("x [")
                        .append(sig.get("level").asString())
                        .append("] ")
                        .append(sig.get("signature").asString())
                        .append('\n');
            }
        }
        sb.append('\n')
                .append(o.get("lines").size())
                .append(" line(s) (")
                .append(o.get("order").asString())
                .append(" ")
                .append(o.get("lines").size())
                .append("):\n");
        for (var l : o.get("lines")) {
            sb.append(l.path("timestamp").asString("-"))
                    .append(' ')
                    .append(Text.cut(l.get("message").asString(), 500))
                    .append('\n');
        }
        return sb.toString();
    }
}
