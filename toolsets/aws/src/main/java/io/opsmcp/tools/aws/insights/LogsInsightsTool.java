package io.opsmcp.tools.aws.insights;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import io.opsmcp.tools.aws.common.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudwatch_logs_insights}: a CloudWatch Logs Insights query over named log groups of the account and region
 * ({@link InsightsRunner}: bounded wait, progress, StopQuery on cancel, time-range splitting at the 10,000-row limit).
 *
 * <p>Scope: log groups are given by name only, so they are always the resolved account's and region's; an ARN (which
 * could name a linked source account of cross-account observability) and a {@code SOURCE} command in the query
 * (which selects log groups by prefix or account inside the query text) are refused.
 */
public final class LogsInsightsTool extends AwsTool {

    static final int MAX_LIMIT = 50_000;
    static final int TEXT_ROWS = 200;

    /** Log group names (API reference: {@code [\.\-_/#A-Za-z0-9]+}, 1..512); ARNs are not accepted. */
    static final ArgSpec<List<String>> LOG_GROUPS = ArgSpec.stringList("log_groups")
            .pattern("^[.\\-_/#A-Za-z0-9]{1,512}$")
            .maxItems(10)
            .description("Names (not ARNs), e.g. [\"/ecs/shop/checkout\"].");

    static final ArgSpec<String> QUERY = ArgSpec.string("query")
            .maxLength(10_000)
            .nonEmpty()
            .reject("(?i)(^|\\|)\\s*source\\b", "must not contain a SOURCE command; name the log groups in log_groups")
            .description("e.g. fields @timestamp, @message | filter @message like /ERROR/")
            .required();
    static final ArgSpec<Instant> SINCE = ArgSpec.since("since")
            .defaultAgo(Duration.ofHours(1))
            .maxAge(Duration.ofDays(30))
            .description("Range start (at most 30d).");
    static final ArgSpec<Instant> UNTIL =
            ArgSpec.since("until").maxAge(Duration.ofDays(30)).description("Range end. Default: now.");
    static final ArgSpec<Integer> LIMIT = ArgSpec.integer("limit")
            .range(1, MAX_LIMIT)
            .defaultValue(1000)
            .description("Most rows; above 10,000 the range is split in time.");
    static final ArgSpec<Duration> WAIT = ArgSpec.duration("wait")
            .durationRange(Duration.ofSeconds(5), Duration.ofMinutes(10))
            .defaultValue(Duration.ofSeconds(60))
            .description("Longest wait; then the query is stopped.");

    public LogsInsightsTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("log_groups", LOG_GROUPS.schema());
        in.set("query", QUERY.schema());
        in.set("since", SINCE.schema());
        in.set("until", UNTIL.schema());
        in.set("limit", LIMIT.schema());
        in.set("wait", WAIT.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("log_groups", JsonSchemas.arrayOf(JsonSchemas.type("string", "log group"), "log groups queried"));
        out.set("query", JsonSchemas.type("string", "the query run"));
        out.set("start", JsonSchemas.type("string", "range start, RFC 3339"));
        out.set("end", JsonSchemas.type("string", "range end, RFC 3339"));
        out.set("fields", JsonSchemas.arrayOf(JsonSchemas.type("string", "field"), "fields of the rows"));
        out.set("rows", JsonSchemas.arrayOf(JsonSchemas.type("object", "field -> value"), "result rows"));
        out.set("queries", JsonSchemas.type("integer", "StartQuery calls made"));
        out.set("split", JsonSchemas.type("boolean", "the range hit the 10,000-row limit and was split in time"));
        out.set("slices", JsonSchemas.type("integer", "time slices whose rows were merged"));
        out.set("complete", JsonSchemas.type("boolean", "every row of the range was returned"));
        out.set("stop_reason", JsonSchemas.type("string", "why it stopped"));
        out.set("notes", JsonSchemas.arrayOf(JsonSchemas.type("string", "note"), "splits and limits hit"));
        out.set(
                "statistics",
                JsonSchemas.type("object", "records_matched, records_scanned, bytes_scanned (all queries)"));
        return new ToolDefinition(
                "cloudwatch_logs_insights",
                "CloudWatch Logs Insights query",
                "Runs a Logs Insights query on log groups over a time range and returns the rows; a range hitting"
                        + " the 10,000-row limit is split in time and merged.",
                JsonSchemas.input(in, "log_groups", "query"),
                JsonSchemas.output(out, "account", "region", "rows", "complete"),
                ToolAnnotations.readOnly());
    }

    /** Kind {@code logs:group}, name the log group (several: comma-separated), id {@code log_groups}. */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        List<String> groups = groups(args);
        QUERY.read(args);
        ActionDescriptor d =
                descriptor(accounts.resolve(args), "logs:group", String.join(",", groups), null, null, null);
        Map<String, String> ids = new LinkedHashMap<>(d.ids());
        ids.put("log_groups", String.join(",", groups));
        return new ActionDescriptor(d.provider(), d.kind(), d.environment(), d.name(), ids, null);
    }

    private static List<String> groups(ObjectNode args) {
        List<String> groups = LOG_GROUPS.read(args);
        if (groups == null || groups.isEmpty()) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT, "log_groups: must name at least one log group");
        }
        return groups.stream().distinct().toList();
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        List<String> groups = groups(args);
        Instant now = Instant.now();
        Instant start = SINCE.read(args, now);
        Instant end = UNTIL.isPresent(args) ? UNTIL.read(args, now) : now;
        if (!end.isAfter(start)) {
            throw new ToolException(ToolException.Kind.INVALID_ARGUMENT, "until: must be after since");
        }
        InsightsRunner.Request q =
                new InsightsRunner.Request(groups, QUERY.read(args), start, end, LIMIT.read(args), WAIT.read(args));
        InsightsRunner.Outcome o = InsightsRunner.run(t, q, ctx);
        ObjectNode out = AwsTool.result(t);
        ArrayNode g = out.putArray("log_groups");
        groups.forEach(g::add);
        out.put("query", q.query());
        out.put("start", Instant.ofEpochSecond(start.getEpochSecond()).toString());
        out.put("end", Instant.ofEpochSecond(end.getEpochSecond()).toString());
        ArrayNode f = out.putArray("fields");
        o.fields().forEach(f::add);
        ArrayNode rows = out.putArray("rows");
        for (Map<String, String> row : o.rows()) {
            ObjectNode r = rows.addObject();
            row.forEach(r::put);
        }
        out.put("queries", o.queries());
        out.put("split", o.slicesSplit() > 0);
        out.put("slices", o.slices());
        out.put("complete", o.complete());
        out.put("stop_reason", o.stopReason());
        ArrayNode notes = out.putArray("notes");
        o.notes().forEach(notes::add);
        out.putObject("statistics")
                .put("records_matched", (long) o.recordsMatched())
                .put("records_scanned", (long) o.recordsScanned())
                .put("bytes_scanned", (long) o.bytesScanned());
        return ToolResult.ok(text(out, q.maxWait()), out);
    }

    static String text(ObjectNode o, Duration wait) {
        StringBuilder sb = new StringBuilder();
        List<String> groups = new ArrayList<>();
        o.get("log_groups").forEach(n -> groups.add(n.asString()));
        int n = o.get("rows").size();
        sb.append(String.join(", ", groups))
                .append(' ')
                .append(o.get("start").asString())
                .append(" .. ")
                .append(o.get("end").asString())
                .append(": ")
                .append(n)
                .append(" row(s) from ")
                .append(o.get("queries").asInt())
                .append(" quer")
                .append(o.get("queries").asInt() == 1 ? "y" : "ies")
                .append("; ")
                .append(
                        o.get("complete").asBoolean()
                                ? "complete"
                                : "incomplete: " + o.get("stop_reason").asString())
                .append('\n');
        for (JsonNode note : o.get("notes")) {
            sb.append("note: ").append(note.asString()).append('\n');
        }
        List<String> fields = new ArrayList<>();
        o.get("fields").forEach(x -> fields.add(x.asString()));
        if (!fields.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            int i = 0;
            for (JsonNode r : o.get("rows")) {
                if (i++ >= TEXT_ROWS) {
                    break;
                }
                List<String> cells = new ArrayList<>();
                fields.forEach(x -> cells.add(r.path(x).asString("-")));
                rows.add(cells);
            }
            sb.append(Text.table(fields, rows));
            if (n > TEXT_ROWS) {
                sb.append("\n… ").append(n - TEXT_ROWS).append(" more row(s) in the structured result\n");
            }
        }
        if (!o.get("complete").asBoolean() && o.get("stop_reason").asString().startsWith("wait")) {
            sb.append("(waited up to ").append(Durations.format(wait)).append(")\n");
        }
        return sb.toString();
    }
}
