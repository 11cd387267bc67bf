package io.opsmcp.tools.aws.logs;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_logs}. */
public final class LogsTool extends AwsTool {

    static final ArgSpec<String> CONTAINER = ArgSpec.string("container")
            .pattern(AwsArgs.CONTAINER_PATTERN)
            .description("Default: the first essential container logging to awslogs.");
    static final ArgSpec<String> FILTER_PATTERN = ArgSpec.string("filter_pattern")
            .maxLength(1024)
            .description("CloudWatch Logs filter pattern, e.g. ?ERROR ?WARN.");
    static final ArgSpec<Integer> LIMIT = ArgSpec.integer("limit")
            .range(1, LogScanner.MAX_LIMIT)
            .defaultValue(LogScanner.DEFAULT_LIMIT)
            .description("Most lines to return.");
    static final ArgSpec<String> ORDER = ArgSpec.oneOf("order", "newest", "oldest")
            .defaultValue("newest")
            .description("newest or oldest lines of the window first.");
    /** The window's start, in the one duration grammar of every toolset. */
    static final ArgSpec<Instant> SINCE = ArgSpec.since("since")
            .defaultAgo(Duration.ofHours(1))
            .maxAge(Duration.ofDays(30))
            .description("Window start (at most 30d).");

    private final LogScanner scanner;

    public LogsTool(Accounts accounts) {
        super(accounts);
        this.scanner = new LogScanner(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.service();
        in.set("container", CONTAINER.schema());
        in.set("filter_pattern", FILTER_PATTERN.schema());
        in.set("since", SINCE.schema());
        in.set("limit", LIMIT.schema());
        in.set("order", ORDER.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set("service", JsonSchemas.type("string", "service"));
        out.set("container", JsonSchemas.type("string", "container whose logs were read"));
        out.set("since", JsonSchemas.type("string", "window start, RFC 3339"));
        out.set("order", JsonSchemas.type("string", "newest or oldest"));
        out.set("pages", JsonSchemas.type("integer", "FilterLogEvents pages read"));
        out.set("log_group", JsonSchemas.type("string", "log group"));
        out.set("stream_prefix", JsonSchemas.type("string", "log stream prefix"));
        out.set("events_scanned", JsonSchemas.type("integer", "matching events read"));
        out.set("complete", JsonSchemas.type("boolean", "the whole window was read"));
        out.set("stop_reason", JsonSchemas.type("string", "why the scan stopped"));
        out.set(
                "lines",
                JsonSchemas.arrayOf(
                        JsonSchemas.type("object", "timestamp, stream, message"), "log lines, oldest first"));
        out.set(
                "summary",
                JsonSchemas.type(
                        "object",
                        "levels {error, warn, info, debug, other} over the events "
                                + "scanned; top_signatures[] (signature, level, count, example): messages with numbers, ids, hex "
                                + "and IPs collapsed"));
        return new ToolDefinition(
                "ecs_logs",
                "ECS service logs",
                "A service's CloudWatch logs over a window: lines, counts by level and the top error " + "signatures.",
                JsonSchemas.input(in, "cluster", "service"),
                JsonSchemas.output(
                        out, "account", "region", "log_group", "events_scanned", "complete", "lines", "summary"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return descriptor(
                accounts.resolve(args),
                "logs:group",
                AwsArgs.service(args),
                AwsArgs.cluster(args),
                AwsArgs.service(args),
                null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        Instant now = Instant.now();
        LogScanner.Query q = new LogScanner.Query(
                AwsArgs.cluster(args),
                AwsArgs.service(args),
                CONTAINER.read(args),
                FILTER_PATTERN.read(args),
                SINCE.read(args, now),
                now,
                LIMIT.read(args),
                !"oldest".equals(ORDER.read(args)));
        ObjectNode out = scanner.scan(t, q, ctx).toJson();
        return ToolResult.ok(LogScanner.text(out), out);
    }
}
