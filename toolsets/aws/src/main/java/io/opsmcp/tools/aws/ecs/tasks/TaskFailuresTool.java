package io.opsmcp.tools.aws.ecs.tasks;

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
import io.opsmcp.tools.aws.common.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_task_failures}. */
public final class TaskFailuresTool extends AwsTool {

    /** {@code service}, optional here: without it the cluster's stopped tasks. */
    static final ArgSpec<String> SERVICE = ArgSpec.string("service")
            .pattern(AwsArgs.SERVICE_PATTERN)
            .schemaPattern(AwsArgs.NAME_OR_ARN_SCHEMA_PATTERN)
            .description("ECS service name or ARN; omit for the whole cluster.");

    static final ArgSpec<Integer> MAX_TASKS = ArgSpec.integer("max_tasks")
            .range(1, 500)
            .defaultValue(StoppedTasks.DEFAULT_MAX_TASKS)
            .description("Most stopped tasks to examine, newest first.");
    /** The window's start, in the one duration grammar of every toolset. */
    static final ArgSpec<Instant> SINCE = ArgSpec.since("since")
            .defaultAgo(Duration.ofHours(6))
            .maxAge(Duration.ofDays(14))
            .description("Stopped since (at most 14d).");

    public TaskFailuresTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.service();
        in.set("service", SERVICE.schema());
        in.set("since", SINCE.schema());
        in.set("max_tasks", MAX_TASKS.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set("service", JsonSchemas.type("string", "service"));
        out.set("current_task_definition", JsonSchemas.type("string", "family:revision the service runs now"));
        out.set("since", JsonSchemas.type("string", "start of the window (ISO-8601)"));
        out.set("tasks_examined", JsonSchemas.type("integer", "stopped tasks in the window"));
        out.set("truncated", JsonSchemas.type("boolean", "more stopped tasks exist than max_tasks"));
        out.set("counts", JsonSchemas.type("object", "class -> number of tasks"));
        out.set(
                "classes",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "class (out_of_memory, image_pull, "
                                        + "cannot_start_container, host_problem, eni_provisioning, resource_initialization, "
                                        + "container_health_check, elb_health_check, essential_container_exited, spot_interruption, "
                                        + "maintenance, scale_in, user_stop, other), description, normal, count, on_current_task_definition, "
                                        + "groups[] (service:NAME), examples[] (task_id, group, task_definition, stopped_at, stop_code, "
                                        + "stopped_reason, detail, failing_container, failing_exit_code, containers[] (name, image, "
                                        + "exit_code, reason)), newest first"),
                        "classes, failures first, then by count"));
        return new ToolDefinition(
                "ecs_task_failures",
                "Why ECS tasks stopped",
                "Why tasks stopped (a service, or the cluster): stop reasons and exit codes classified "
                        + "(OOM, image pull, health checks, spot...) with counts and examples.",
                JsonSchemas.input(in, "cluster"),
                JsonSchemas.output(out, "account", "region", "cluster", "tasks_examined", "counts", "classes"),
                ToolAnnotations.readOnly());
    }

    /** {@code ecs:service}, or {@code ecs:cluster} for the cluster-wide view (no {@code service}). */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        String service = SERVICE.read(args);
        if (service != null) {
            return super.describe(args, ctx);
        }
        String cluster = AwsArgs.cluster(args);
        return descriptor(accounts.resolve(args), "ecs:cluster", cluster, cluster, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        Instant since = SINCE.read(args);
        TaskFailures f =
                StoppedTasks.read(t, AwsArgs.cluster(args), SERVICE.read(args), since, MAX_TASKS.read(args), ctx);
        return ToolResult.ok(text(f), f.toJson());
    }

    /** Renders {@link TaskFailures} as text. */
    static String text(TaskFailures f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.tasksExamined())
                .append(" stopped task(s) of ")
                .append(f.service() == null ? "cluster " + f.cluster() : "service " + f.service())
                .append(" since ")
                .append(f.since())
                .append(
                        f.service() == null
                                ? ""
                                : " (current task definition "
                                        + (f.currentTaskDefinition() == null ? "-" : f.currentTaskDefinition()) + ")")
                .append(f.truncated() ? "; more stopped tasks exist (max_tasks)" : "")
                .append('\n');
        if (f.classes().isEmpty()) {
            sb.append("no stopped tasks in this window\n");
        }
        for (TaskFailures.ClassSummary c : f.classes()) {
            sb.append("\n")
                    .append(c.type().label())
                    .append(": ")
                    .append(c.count())
                    .append(" task(s)")
                    .append(c.type().normal() ? " (normal)" : "")
                    .append(", ")
                    .append(c.onCurrentTaskDefinition())
                    .append(" on the current task definition — ")
                    .append(c.type().description())
                    .append(f.service() == null ? " " + groups(c.groups()) : "")
                    .append('\n');
            for (TaskFailures.StoppedTask ex : c.examples()) {
                sb.append("  ")
                        .append(ex.stoppedAt() == null ? "-" : ex.stoppedAt().toString())
                        .append("  ")
                        .append(ex.taskId())
                        .append("  ")
                        .append(ex.taskDefinition() == null ? "" : ex.taskDefinition())
                        .append("  ")
                        .append(ex.stopCode() == null ? "-" : ex.stopCode())
                        .append("  ")
                        .append(Text.cut(ex.detail() == null ? "" : ex.detail(), 200))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /** The groups as a JSON array prints them ({@code ["service:a","service:b"]}). */
    private static String groups(List<String> groups) {
        return groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
