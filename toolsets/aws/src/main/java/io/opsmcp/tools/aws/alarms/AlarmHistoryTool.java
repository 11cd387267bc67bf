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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryResponse;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudwatch_alarm_history}: DescribeAlarmHistory, newest first, paged by {@code NextToken}. A state update's
 * {@code HistoryData} (a JSON document: {@code oldState} / {@code newState} with {@code stateValue} and
 * {@code stateReason}) is read into {@code old_state} / {@code new_state}; other history data is not returned
 * (configuration updates hold the whole alarm definition).
 */
public final class AlarmHistoryTool extends AwsTool {

    static final int MAX_PAGES = 10;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final ArgSpec<String> ALARM_NAME =
            ArgSpec.string("alarm_name").pattern("^[^\\x00-\\x1f\\x7f]{1,255}$").description("Default: every alarm.");
    static final ArgSpec<String> TYPE = ArgSpec.oneOf("type", "StateUpdate", "ConfigurationUpdate", "Action")
            .description("Only this kind of history item.");
    /** CloudWatch keeps alarm history for 30 days. */
    static final ArgSpec<Instant> SINCE = ArgSpec.since("since")
            .defaultAgo(Duration.ofDays(1))
            .maxAge(Duration.ofDays(30))
            .description("Window start (at most 30d).");

    static final ArgSpec<Integer> LIMIT =
            ArgSpec.integer("limit").range(1, 500).defaultValue(50).description("Most history items to return.");

    public AlarmHistoryTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("alarm_name", ALARM_NAME.schema());
        in.set("type", TYPE.schema());
        in.set("since", SINCE.schema());
        in.set("limit", LIMIT.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("since", JsonSchemas.type("string", "window start, RFC 3339"));
        out.set(
                "items",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "timestamp, alarm, alarm_type, type (StateUpdate/ConfigurationUpdate/Action), summary; "
                                        + "state updates: old_state, new_state, reason"),
                        "history items, newest first"));
        out.set("complete", JsonSchemas.type("boolean", "every item of the window was read"));
        return new ToolDefinition(
                "cloudwatch_alarm_history",
                "CloudWatch alarm history",
                "An alarm's (or every alarm's) history: state changes with their reasons, actions taken and "
                        + "configuration updates, newest first.",
                JsonSchemas.input(in),
                JsonSchemas.output(out, "account", "region", "items", "complete"),
                ToolAnnotations.readOnly());
    }

    /** Kind {@code cloudwatch:alarm}, name the alarm ({@code *} for every alarm). */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        String name = ALARM_NAME.read(args);
        return descriptor(accounts.resolve(args), "cloudwatch:alarm", name == null ? "*" : name, null, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String name = ALARM_NAME.read(args);
        String type = TYPE.read(args);
        Instant now = Instant.now();
        Instant since = SINCE.read(args, now);
        int limit = LIMIT.read(args);
        List<AlarmHistoryItem> items = new ArrayList<>();
        String token = null;
        int pages = 0;
        boolean complete = true;
        do {
            String next = token;
            int want = Math.min(100, limit - items.size());
            DescribeAlarmHistoryResponse r = t.call(
                    AwsAction.CLOUDWATCH_DESCRIBE_ALARM_HISTORY,
                    name == null ? "alarm history" : "history of alarm " + name,
                    () -> t.cloudWatch().describeAlarmHistory(b -> {
                        b.alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                                .startDate(since)
                                .endDate(now)
                                .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                                .maxRecords(want)
                                .nextToken(next);
                        if (name != null) {
                            b.alarmName(name);
                        }
                        if (type != null) {
                            b.historyItemType(type);
                        }
                    }));
            pages++;
            for (AlarmHistoryItem i : r.alarmHistoryItems()) {
                if (items.size() < limit) {
                    items.add(i);
                }
            }
            token = r.nextToken();
            if (token != null && (items.size() >= limit || pages >= MAX_PAGES)) {
                complete = false;
                break;
            }
        } while (token != null);
        ObjectNode out = AwsTool.result(t);
        out.put("since", since.toString());
        ArrayNode arr = out.putArray("items");
        for (AlarmHistoryItem i : items) {
            ObjectNode o = arr.addObject();
            o.put("timestamp", Text.iso(i.timestamp()));
            o.put("alarm", i.alarmName());
            o.put("alarm_type", i.alarmTypeAsString());
            o.put("type", i.historyItemTypeAsString());
            o.put("summary", i.historySummary() == null ? null : Text.cut(i.historySummary(), 500));
            if ("StateUpdate".equals(i.historyItemTypeAsString()) && i.historyData() != null) {
                stateChange(i.historyData(), o);
            }
        }
        out.put("complete", complete);
        return ToolResult.ok(text(out), out);
    }

    /** Reads old and new state from a state update's history data; data that does not parse is left out. */
    private static void stateChange(String historyData, ObjectNode o) {
        try {
            JsonNode d = JSON.readTree(historyData);
            String oldState = d.path("oldState").path("stateValue").asString(null);
            String newState = d.path("newState").path("stateValue").asString(null);
            String reason = d.path("newState").path("stateReason").asString(null);
            if (oldState != null) {
                o.put("old_state", oldState);
            }
            if (newState != null) {
                o.put("new_state", newState);
            }
            if (reason != null) {
                o.put("reason", Text.cut(reason, 1000));
            }
        } catch (RuntimeException e) {
            // history data is documented as JSON; anything else is just not summarised
        }
    }

    static String text(ObjectNode o) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode i : o.get("items")) {
            String change = i.has("new_state")
                    ? i.path("old_state").asString("?") + " -> "
                            + i.get("new_state").asString()
                    : i.get("type").asString();
            rows.add(Text.row(
                    i.get("timestamp").asString(),
                    i.get("alarm").asString(),
                    change,
                    i.path("summary").asString("-")));
        }
        return o.get("items").size() + " history item(s) since "
                + o.get("since").asString()
                + (o.get("complete").asBoolean() ? "" : "; more exist: narrow the window or raise limit") + "\n"
                + Text.table(List.of("TIME", "ALARM", "CHANGE", "SUMMARY"), rows);
    }
}
