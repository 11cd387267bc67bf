package io.opsmcp.tools.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * ECS tasks and task definitions: {@code ecs_task_failures} and {@code ecs_task_definition}. Stopped-task
 * classification follows the Amazon ECS Developer Guide, "Amazon ECS stopped tasks error messages" (stop codes
 * {@code TaskFailedToStart}, {@code EssentialContainerExited}, {@code UserInitiated},
 * {@code ServiceSchedulerInitiated}, {@code SpotInterruption}, {@code TerminationNotice}; reasons
 * {@code CannotPullContainerError}, {@code ResourceInitializationError}, {@code OutOfMemoryError}) and exit code
 * 137 = 128 + SIGKILL, which is what the kernel's OOM killer sends.
 */
final class EcsTaskTools {

    static final int DEFAULT_MAX_TASKS = 100;
    static final int EXAMPLES = 3;

    private final Accounts accounts;

    EcsTaskTools(Accounts accounts) {
        this.accounts = accounts;
    }

    List<OpsTool> tools() {
        return List.of(new TaskFailures(accounts, this), new TaskDefinitionTool(accounts));
    }

    /** Why a task stopped; {@code normal} classes are expected (scale-in, user stop, maintenance). */
    enum FailureClass {
        OUT_OF_MEMORY("out of memory (OutOfMemoryError reason)", false),
        IMAGE_PULL("image pull failed (CannotPullContainerError)", false),
        CANNOT_START_CONTAINER("the container runtime could not start the container (CannotStartContainerError)", false),
        HOST_PROBLEM("container runtime or host problem (CannotInspectContainerError, runtime timeouts)", false),
        ENI_PROVISIONING("network interface provisioning timed out", false),
        RESOURCE_INITIALIZATION("resource initialization failed (secrets, ENI, log driver, volumes)", false),
        CONTAINER_HEALTH_CHECK("container health check failed", false),
        ELB_HEALTH_CHECK("ELB health check failed", false),
        ESSENTIAL_CONTAINER_EXITED("essential container exited", false),
        SPOT_INTERRUPTION("Spot capacity reclaimed", false),
        MAINTENANCE("infrastructure maintenance, task retirement or instance draining", true),
        SCALE_IN("stopped by the scheduler (scale-in or deployment)", true),
        USER_STOP("stopped by a user or API call", true),
        OTHER("other", false);

        final String description;
        final boolean normal;

        FailureClass(String description, boolean normal) {
            this.description = description;
            this.normal = normal;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One container of a stopped task. */
    record ContainerStop(String name, String image, Integer exitCode, String reason) {
    }

    /**
     * A classified stopped task: the class, a one-line detail (cause, image, exit code) and the container the
     * failure is attributed to (null when it is the task's, e.g. an ENI timeout) with its exit code.
     */
    record Classified(FailureClass type, String detail, String container, Integer exitCode) {

        Classified(FailureClass type, String detail) {
            this(type, detail, null, null);
        }
    }

    /** Classifies one stopped task from its stop code, stopped reason and containers (all essential). */
    static Classified classify(String stopCode, String stoppedReason, List<ContainerStop> containers) {
        return classify(stopCode, stoppedReason, containers, Set.of());
    }

    private static boolean oomReason(String reason) {
        List<String> w = Text.words(reason);
        return w.contains("outofmemoryerror") || w.contains("oomkilled") || w.contains("oom")
                || Text.phrase(w, "out of memory", "killed due to memory usage");
    }

    /**
     * The container a task's failure is attributed to: one with an out-of-memory reason; else an essential one
     * that exited with a code other than 137 / 143 (SIGKILL / SIGTERM are what ECS sends to the remaining
     * containers once an essential one has stopped, so a sidecar killed afterwards is not the cause); else the
     * first essential one with a non-zero code; else the first essential one with a code. Non-essential containers
     * are considered only when no essential one has an exit code.
     */
    static ContainerStop failingContainer(List<ContainerStop> containers, Set<String> nonEssential) {
        for (ContainerStop c : containers) {
            if (oomReason(c.reason())) {
                return c;
            }
        }
        List<ContainerStop> essential = containers.stream().filter(c -> !nonEssential.contains(c.name())).toList();
        List<ContainerStop> pool = essential.stream().anyMatch(c -> c.exitCode() != null) ? essential : containers;
        return pool.stream().filter(c -> c.exitCode() != null && c.exitCode() != 0 && c.exitCode() != 137
                        && c.exitCode() != 143).findFirst()
                .or(() -> pool.stream().filter(c -> c.exitCode() != null && c.exitCode() != 0).findFirst())
                .or(() -> pool.stream().filter(c -> c.exitCode() != null).findFirst())
                .orElse(null);
    }

    /**
     * Classifies one stopped task. Rules match words and phrases ({@link Text#words}) of the stopped reason and the
     * containers' reasons, in the order of the Amazon ECS Developer Guide's "stopped tasks error codes" (a
     * {@code CannotStartContainerError} that wraps a {@code ResourceInitializationError} is a start failure).
     * Exit code 137 alone is SIGKILL — the OOM killer, or the kill after {@code stopTimeout} — so it is
     * out-of-memory only with an out-of-memory reason; the troubleshooter may add memory evidence.
     *
     * @param nonEssential names of the task definition's non-essential containers
     */
    static Classified classify(String stopCode, String stoppedReason, List<ContainerStop> containers,
                               Set<String> nonEssential) {
        String reason = stoppedReason == null ? "" : stoppedReason;
        StringBuilder all = new StringBuilder(reason);
        containers.forEach(c -> all.append(' ').append(c.reason() == null ? "" : c.reason()));
        List<String> w = Text.words(all.toString());
        String code = stopCode == null ? "" : stopCode;
        if (w.contains("cannotpullcontainererror") || w.contains("cannotpullimagemanifesterror")
                || Text.phrase(w, "pull image manifest", "failed to resolve ref")) {
            ContainerStop pulled = containers.stream()
                    .filter(c -> c.reason() != null && Text.words(c.reason()).stream().anyMatch(x -> x.contains("pull")))
                    .findFirst().orElse(containers.isEmpty() ? null : containers.get(0));
            String image = pulled == null ? null : pulled.image();
            String source = reason.contains("CannotPullContainerError") || containers.stream()
                    .noneMatch(c -> c.reason() != null && c.reason().contains("CannotPullContainerError")) ? reason
                    : containers.stream().map(ContainerStop::reason)
                    .filter(r -> r != null && r.contains("CannotPullContainerError")).findFirst().orElse(reason);
            int at = source.indexOf("CannotPullContainerError");
            String cause = at >= 0 ? source.substring(at + "CannotPullContainerError".length())
                    .replaceFirst("^[:\\s]+", "") : source;
            return new Classified(FailureClass.IMAGE_PULL, "image " + image + ": " + Text.cut(cause.strip(), 300),
                    pulled == null ? null : pulled.name(), null);
        }
        String text = all.toString().strip();
        if (w.contains("cannotstartcontainererror")) {
            ContainerStop c = containers.stream().filter(x -> Text.words(x.reason()).contains("cannotstartcontainererror"))
                    .findFirst().orElse(containers.size() == 1 ? containers.get(0) : null);
            return new Classified(FailureClass.CANNOT_START_CONTAINER, Text.cut(text, 300),
                    c == null ? null : c.name(), null);
        }
        if (w.contains("cannotinspectcontainererror") || w.contains("containerruntimetimeouterror")
                || w.contains("dockertimeouterror") || w.contains("cannotstopcontainererror")
                || w.contains("cannotcreatecontainererror") || w.contains("containerruntimeerror")) {
            return new Classified(FailureClass.HOST_PROBLEM, Text.cut(text, 300));
        }
        if (Text.phrase(w, "network interface provisioning", "waiting for network interface", "eni attachment")) {
            return new Classified(FailureClass.ENI_PROVISIONING, Text.cut(text, 300));
        }
        if (w.contains("resourceinitializationerror")) {
            String sub = w.contains("secret") || w.contains("secrets") || w.contains("ssm") || w.contains("asm")
                    || Text.phrase(w, "registry auth") ? "secrets"
                    : w.contains("eni") || Text.phrase(w, "network interface") ? "eni"
                    : w.contains("efs") || w.contains("volume") || w.contains("volumes") ? "volume"
                    : w.contains("logger") || w.contains("logging") || w.contains("log") || w.contains("cloudwatch") ? "log_driver"
                    : "other";
            return new Classified(FailureClass.RESOURCE_INITIALIZATION, sub + ": " + Text.cut(reason, 300));
        }
        if (oomReason(reason) || containers.stream().anyMatch(c -> oomReason(c.reason()))) {
            ContainerStop c = failingContainer(containers, nonEssential);
            return new Classified(FailureClass.OUT_OF_MEMORY, c == null ? Text.cut(reason, 300)
                    : "container " + c.name() + " exit " + Text.str(c.exitCode()) + ": "
                    + (c.reason() == null ? reason : c.reason()), c == null ? null : c.name(), c == null ? null : c.exitCode());
        }
        if (Text.phrase(w, "failed container health checks")) {
            return new Classified(FailureClass.CONTAINER_HEALTH_CHECK, reason);
        }
        if (Text.phrase(w, "elb health checks")) {
            return new Classified(FailureClass.ELB_HEALTH_CHECK, reason);
        }
        if ("SpotInterruption".equals(code) || Text.phrase(w, "spot interruption", "spot task was interrupted")) {
            return new Classified(FailureClass.SPOT_INTERRUPTION, reason);
        }
        if ("TerminationNotice".equals(code) || w.contains("maintenance") || w.contains("retirement")
                || w.contains("retired") || w.contains("draining") || Text.phrase(w, "being drained")) {
            return new Classified(FailureClass.MAINTENANCE, reason);
        }
        if ("UserInitiated".equals(code) || Text.phrase(w, "stopped by user")) {
            return new Classified(FailureClass.USER_STOP, reason);
        }
        if ("ServiceSchedulerInitiated".equals(code) && (w.contains("scaling") || w.contains("deployment")
                || w.contains("scale"))) {
            return new Classified(FailureClass.SCALE_IN, reason);
        }
        if ("EssentialContainerExited".equals(code) || Text.phrase(w, "essential container")) {
            ContainerStop failed = failingContainer(containers, nonEssential);
            if (failed == null) {
                return new Classified(FailureClass.ESSENTIAL_CONTAINER_EXITED, reason);
            }
            String signal = failed.exitCode() != null && failed.exitCode() == 137
                    ? " (SIGKILL: the OOM killer or the kill after stopTimeout; no out-of-memory reason)" : "";
            return new Classified(FailureClass.ESSENTIAL_CONTAINER_EXITED, "container " + failed.name()
                    + " exited with code " + failed.exitCode() + signal
                    + (failed.reason() == null ? "" : ": " + failed.reason()), failed.name(), failed.exitCode());
        }
        return new Classified(FailureClass.OTHER, Text.cut(code + " " + reason, 300).strip());
    }

    /**
     * Stopped tasks of a service — or, with {@code serviceName} null, of the whole cluster (each class then lists
     * the task groups, {@code service:NAME}, it was seen in) — since a time, classified (the structured content of
     * {@code ecs_task_failures}).
     */
    ObjectNode failures(AwsTarget t, String cluster, String serviceName, Instant since, int maxTasks, ToolContext ctx) {
        Service service = serviceName == null ? null : Ecs.service(t, cluster, serviceName);
        String current = service == null ? null : Ecs.familyRevision(Ecs.currentTaskDefinition(service));
        String scope = service == null ? "cluster " + cluster : "service " + serviceName;
        List<String> arns = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            int want = Math.min(100, maxTasks - arns.size());
            ListTasksResponse page = t.call(AwsAction.ECS_LIST_TASKS, "stopped tasks of " + scope,
                    () -> t.ecs().listTasks(b -> b.cluster(cluster).serviceName(service == null ? null : service.serviceName())
                            .desiredStatus(DesiredStatus.STOPPED).nextToken(next).maxResults(want)));
            arns.addAll(page.taskArns());
            token = page.nextToken();
            pages++;
        } while (token != null && arns.size() < maxTasks && pages < 20);
        boolean truncated = token != null;
        int batches = Math.max(1, (arns.size() + 99) / 100);
        ctx.progress().report(1, (double) batches + 1, "listed " + arns.size() + " stopped tasks");
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 100) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 100));
            tasks.addAll(t.call(AwsAction.ECS_DESCRIBE_TASKS, "stopped tasks of " + scope,
                    () -> t.ecs().describeTasks(b -> b.cluster(cluster).tasks(batch))).tasks());
            ctx.progress().report(i / 100 + 2, (double) batches + 1, "described tasks");
        }
        tasks.sort(Comparator.comparing((Task x) -> x.stoppedAt() == null ? Instant.EPOCH : x.stoppedAt()).reversed());
        Set<String> nonEssential = service == null ? Set.of() : nonEssential(t, service);
        Map<FailureClass, Set<String>> groups = new EnumMap<>(FailureClass.class);

        Map<FailureClass, List<ObjectNode>> byClass = new EnumMap<>(FailureClass.class);
        Map<FailureClass, Integer> onCurrent = new EnumMap<>(FailureClass.class);
        int examined = 0;
        for (Task task : tasks) {
            if (task.stoppedAt() != null && task.stoppedAt().isBefore(since)) {
                continue;
            }
            examined++;
            List<ContainerStop> containers = task.containers().stream()
                    .map(c -> new ContainerStop(c.name(), c.image(), c.exitCode(), c.reason())).toList();
            Classified c = classify(task.stopCodeAsString(), task.stoppedReason(), containers, nonEssential);
            String revision = Ecs.familyRevision(task.taskDefinitionArn());
            if (revision != null && revision.equals(current)) {
                onCurrent.merge(c.type(), 1, Integer::sum);
            }
            ObjectNode ex = JsonNodeFactory.instance.objectNode();
            ex.put("task_id", AwsTool.shortName(task.taskArn()));
            ex.put("group", task.group());
            if (task.group() != null) {
                groups.computeIfAbsent(c.type(), k -> new java.util.TreeSet<>()).add(task.group());
            }
            ex.put("task_definition", revision);
            ex.put("stopped_at", Text.iso(task.stoppedAt()));
            ex.put("stop_code", task.stopCodeAsString());
            ex.put("stopped_reason", task.stoppedReason());
            ex.put("detail", c.detail());
            ex.put("failing_container", c.container());
            ex.put("failing_exit_code", c.exitCode());
            ArrayNode cs = ex.putArray("containers");
            for (Container container : task.containers()) {
                ObjectNode cn = cs.addObject();
                cn.put("name", container.name());
                cn.put("image", container.image());
                cn.put("exit_code", container.exitCode());
                cn.put("reason", container.reason());
            }
            byClass.computeIfAbsent(c.type(), k -> new ArrayList<>()).add(ex);
        }
        ObjectNode out = AwsTool.result(t);
        out.put("cluster", AwsTool.shortName(cluster));
        out.put("service", service == null ? null : service.serviceName());
        out.put("current_task_definition", current);
        out.put("since", since.toString());
        out.put("tasks_examined", examined);
        out.put("truncated", truncated);
        ObjectNode counts = out.putObject("counts");
        ArrayNode classes = out.putArray("classes");
        byClass.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<FailureClass, List<ObjectNode>> e) -> e.getKey().normal)
                        .thenComparing(e -> -e.getValue().size()))
                .forEach(e -> {
                    counts.put(e.getKey().label(), e.getValue().size());
                    ObjectNode cn = classes.addObject();
                    cn.put("class", e.getKey().label());
                    cn.put("description", e.getKey().description);
                    cn.put("normal", e.getKey().normal);
                    cn.put("count", e.getValue().size());
                    cn.put("on_current_task_definition", onCurrent.getOrDefault(e.getKey(), 0));
                    ArrayNode gs = cn.putArray("groups");
                    groups.getOrDefault(e.getKey(), Set.of()).forEach(gs::add);
                    ArrayNode examples = cn.putArray("examples");
                    e.getValue().stream().limit(EXAMPLES).forEach(examples::add);
                });
        return out;
    }

    /** Non-essential container names of the service's task definition; empty when it cannot be read. */
    private static Set<String> nonEssential(AwsTarget t, Service service) {
        try {
            Set<String> out = new HashSet<>();
            Ecs.taskDefinitionOf(t, service).containerDefinitions().stream()
                    .filter(d -> Boolean.FALSE.equals(d.essential())).forEach(d -> out.add(d.name()));
            return out;
        } catch (ToolException e) {
            // attribution then treats every container as essential; the failures themselves are still listed
            return Set.of();
        }
    }

    static String failuresText(ObjectNode f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.get("tasks_examined").asInt()).append(" stopped task(s) of ")
                .append(f.get("service").isNull() ? "cluster " + f.get("cluster").asString()
                        : "service " + f.get("service").asString()).append(" since ").append(f.get("since").asString())
                .append(f.get("service").isNull() ? "" : " (current task definition "
                        + f.path("current_task_definition").asString("-") + ")")
                .append(f.get("truncated").asBoolean() ? "; more stopped tasks exist (max_tasks)" : "").append('\n');
        if (f.get("classes").isEmpty()) {
            sb.append("no stopped tasks in this window\n");
        }
        for (var c : f.get("classes")) {
            sb.append("\n").append(c.get("class").asString()).append(": ").append(c.get("count").asInt())
                    .append(" task(s)").append(c.get("normal").asBoolean() ? " (normal)" : "")
                    .append(", ").append(c.get("on_current_task_definition").asInt())
                    .append(" on the current task definition — ").append(c.get("description").asString())
                    .append(f.get("service").isNull() ? " " + c.get("groups") : "").append('\n');
            for (var ex : c.get("examples")) {
                sb.append("  ").append(ex.path("stopped_at").asString("-")).append("  ")
                        .append(ex.get("task_id").asString()).append("  ").append(ex.path("task_definition").asString(""))
                        .append("  ").append(ex.path("stop_code").asString("-")).append("  ")
                        .append(Text.cut(ex.path("detail").asString(""), 200)).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code ecs_task_failures}. */
    static final class TaskFailures extends AwsTool {

        private final EcsTaskTools family;

        TaskFailures(Accounts accounts, EcsTaskTools family) {
            super(accounts);
            this.family = family;
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode in = Schemas.service();
            ((ObjectNode) in.get("service")).put("description", "ECS service name or ARN; omit it for the stopped tasks "
                    + "of the whole cluster (which services fail the same way).");
            in.set("since", JsonSchemas.pattern("Only tasks stopped after this: 30m, 6h, 2d (ago) or an ISO-8601 time "
                    + "with offset. Default 6h. ECS keeps stopped tasks for about an hour.", Args.SINCE, 40));
            in.set("max_tasks", JsonSchemas.integer("Most stopped tasks to examine (newest first).", 1, 500,
                    DEFAULT_MAX_TASKS));
            ObjectNode out = Schemas.scopedOutput();
            out.set("cluster", JsonSchemas.type("string", "cluster"));
            out.set("service", JsonSchemas.type("string", "service"));
            out.set("current_task_definition", JsonSchemas.type("string", "family:revision the service runs now"));
            out.set("since", JsonSchemas.type("string", "start of the window (ISO-8601)"));
            out.set("tasks_examined", JsonSchemas.type("integer", "stopped tasks in the window"));
            out.set("truncated", JsonSchemas.type("boolean", "more stopped tasks exist than max_tasks"));
            out.set("counts", JsonSchemas.type("object", "class -> number of tasks"));
            out.set("classes", JsonSchemas.arrayOf(JsonSchemas.type("object", "class (out_of_memory, image_pull, "
                    + "cannot_start_container, host_problem, eni_provisioning, resource_initialization, "
                    + "container_health_check, elb_health_check, essential_container_exited, spot_interruption, "
                    + "maintenance, scale_in, user_stop, other), description, normal, count, on_current_task_definition, "
                    + "groups[] (service:NAME), examples[] (task_id, group, task_definition, stopped_at, stop_code, "
                    + "stopped_reason, detail, failing_container, failing_exit_code, containers[] (name, image, "
                    + "exit_code, reason)), newest first"), "classes, failures first, then by count"));
            return new ToolDefinition("ecs_task_failures", "Why ECS tasks stopped",
                    "Lists the stopped tasks of a service, or of the whole cluster when service is omitted (ListTasks "
                            + "STOPPED + DescribeTasks), with stop code, stopped reason and each container's exit code "
                            + "and reason, classified: out of memory (only with an out-of-memory reason), image pull, "
                            + "container start failure, host/runtime problem, ENI provisioning timeout, resource "
                            + "initialization (secrets/ENI/log driver/volumes), essential container exited (attributed "
                            + "to the container that failed first, not a sidecar killed afterwards), container and ELB "
                            + "health checks, spot interruption, and the normal maintenance / scale-in / user stop. "
                            + "Counts per class and the newest examples.",
                    JsonSchemas.input(in, "cluster"),
                    JsonSchemas.output(out, "account", "region", "cluster", "tasks_examined", "counts",
                            "classes"),
                    ToolAnnotations.readOnly());
        }

        /** {@code ecs:service}, or {@code ecs:cluster} for the cluster-wide view (no {@code service}). */
        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            String service = Args.string(args, "service", Args.SERVICE, false);
            if (service != null) {
                return super.describe(args, ctx);
            }
            String cluster = Args.cluster(args);
            return descriptor(accounts.resolve(args), "ecs:cluster", cluster, cluster, null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            Instant since = Args.since(args, Instant.now(), Duration.ofHours(6), Duration.ofDays(14));
            ObjectNode f = family.failures(t, Args.cluster(args), Args.string(args, "service", Args.SERVICE, false), since,
                    Args.integer(args, "max_tasks", 1, 500, DEFAULT_MAX_TASKS), ctx);
            return ToolResult.ok(failuresText(f), f);
        }
    }

    /** {@code ecs_task_definition}. */
    static final class TaskDefinitionTool extends AwsTool {

        TaskDefinitionTool(Accounts accounts) {
            super(accounts);
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode in = Schemas.scoped();
            in.set("task_definition", JsonSchemas.pattern("Task definition family (latest ACTIVE revision), "
                    + "family:revision or ARN.", Args.TASK_DEFINITION, 2048));
            ObjectNode out = Schemas.scopedOutput();
            out.set("family", JsonSchemas.type("string", "family"));
            out.set("revision", JsonSchemas.type("integer", "revision"));
            out.set("cpu", JsonSchemas.nullable("string", "task CPU units"));
            out.set("memory", JsonSchemas.nullable("string", "task memory (MiB)"));
            out.set("containers", JsonSchemas.arrayOf(JsonSchemas.type("object", "name, image, cpu, memory, "
                    + "memory_reservation, essential, ports[], health_check, log, environment (names only), "
                    + "secrets[] (name, value_from)"), "container definitions"));
            out.set("execution_role_arn", JsonSchemas.nullable("string", "execution role"));
            out.set("task_role_arn", JsonSchemas.nullable("string", "task role"));
            return new ToolDefinition("ecs_task_definition", "ECS task definition",
                    "Shows a task definition: task and container CPU/memory, images, ports, health checks, log "
                            + "configuration, environment variable NAMES (values are never shown), secrets by name "
                            + "and source ARN, and the execution and task roles.",
                    JsonSchemas.input(in, "task_definition"),
                    JsonSchemas.output(out, "account", "region", "family", "revision", "containers"),
                    ToolAnnotations.readOnly());
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            String td = Args.string(args, "task_definition", Args.TASK_DEFINITION, true);
            return descriptor(accounts.resolve(args), "ecs:task-definition", shortName(td), null, null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            TaskDefinition td = Ecs.taskDefinition(t, Args.string(args, "task_definition", Args.TASK_DEFINITION, true));
            ObjectNode out = render(t, td);
            return ToolResult.ok(text(out), out);
        }

        static ObjectNode render(AwsTarget t, TaskDefinition td) {
            ObjectNode out = result(t);
            out.put("family", td.family());
            out.put("revision", td.revision());
            out.put("arn", td.taskDefinitionArn());
            out.put("status", td.statusAsString());
            out.put("cpu", td.cpu());
            out.put("memory", td.memory());
            out.put("network_mode", td.networkModeAsString());
            ArrayNode compat = out.putArray("requires_compatibilities");
            td.requiresCompatibilitiesAsStrings().forEach(compat::add);
            out.put("execution_role_arn", td.executionRoleArn());
            out.put("task_role_arn", td.taskRoleArn());
            ArrayNode containers = out.putArray("containers");
            for (ContainerDefinition c : td.containerDefinitions()) {
                ObjectNode cn = containers.addObject();
                cn.put("name", c.name());
                cn.put("image", c.image());
                cn.put("cpu", c.cpu());
                cn.put("memory", c.memory());
                cn.put("memory_reservation", c.memoryReservation());
                cn.put("essential", c.essential() == null || c.essential());
                ArrayNode ports = cn.putArray("ports");
                for (PortMapping p : c.portMappings()) {
                    ObjectNode pn = ports.addObject();
                    pn.put("container_port", p.containerPort());
                    pn.put("host_port", p.hostPort());
                    pn.put("protocol", p.protocolAsString());
                }
                HealthCheck hc = c.healthCheck();
                if (hc != null) {
                    ObjectNode hn = cn.putObject("health_check");
                    ArrayNode cmd = hn.putArray("command");
                    hc.command().forEach(cmd::add);
                    hn.put("interval", hc.interval());
                    hn.put("timeout", hc.timeout());
                    hn.put("retries", hc.retries());
                    hn.put("start_period", hc.startPeriod());
                }
                LogConfiguration log = c.logConfiguration();
                if (log != null) {
                    ObjectNode ln = cn.putObject("log");
                    ln.put("driver", log.logDriverAsString());
                    ObjectNode opts = ln.putObject("options");
                    log.options().forEach(opts::put);
                    ArrayNode so = ln.putArray("secret_options");
                    log.secretOptions().forEach(s -> so.addObject().put("name", s.name()).put("value_from", s.valueFrom()));
                }
                ArrayNode env = cn.putArray("environment");
                c.environment().stream().map(KeyValuePair::name).forEach(env::add);
                ArrayNode secrets = cn.putArray("secrets");
                for (Secret s : c.secrets()) {
                    secrets.addObject().put("name", s.name()).put("value_from", s.valueFrom());
                }
            }
            return out;
        }

        private static String text(ObjectNode o) {
            StringBuilder sb = new StringBuilder();
            sb.append("task definition ").append(o.get("family").asString()).append(':').append(o.get("revision").asInt())
                    .append(" (").append(o.path("status").asString("-")).append("), task cpu ")
                    .append(o.path("cpu").asString("-")).append(", memory ").append(o.path("memory").asString("-"))
                    .append(" MiB, network mode ").append(o.path("network_mode").asString("-")).append('\n');
            sb.append("execution role: ").append(o.path("execution_role_arn").asString("-")).append('\n');
            sb.append("task role: ").append(o.path("task_role_arn").asString("-")).append('\n');
            for (var c : o.get("containers")) {
                sb.append("\ncontainer ").append(c.get("name").asString()).append(c.get("essential").asBoolean()
                        ? " (essential)" : "").append(": ").append(c.path("image").asString("-")).append('\n');
                sb.append("  cpu ").append(c.path("cpu").asString("-")).append(", memory ")
                        .append(c.path("memory").isNull() ? "-" : c.path("memory").asString())
                        .append(" MiB (hard), reservation ")
                        .append(c.path("memory_reservation").isNull() ? "-" : c.path("memory_reservation").asString())
                        .append('\n');
                List<String> ports = new ArrayList<>();
                c.get("ports").forEach(p -> ports.add(p.path("container_port").asString() + "/"
                        + p.path("protocol").asString("tcp")));
                sb.append("  ports: ").append(ports.isEmpty() ? "-" : String.join(", ", ports)).append('\n');
                if (c.has("health_check")) {
                    List<String> cmd = new ArrayList<>();
                    c.get("health_check").get("command").forEach(x -> cmd.add(x.asString()));
                    sb.append("  health check: ").append(String.join(" ", cmd)).append(" (interval ")
                            .append(c.get("health_check").path("interval").asString("-")).append("s, retries ")
                            .append(c.get("health_check").path("retries").asString("-")).append(", start period ")
                            .append(c.get("health_check").path("start_period").asString("-")).append("s)\n");
                }
                if (c.has("log")) {
                    sb.append("  log: ").append(c.get("log").path("driver").asString("-")).append(' ')
                            .append(c.get("log").get("options")).append('\n');
                }
                List<String> env = new ArrayList<>();
                c.get("environment").forEach(x -> env.add(x.asString()));
                sb.append("  environment (names only): ").append(env.isEmpty() ? "-" : String.join(", ", env)).append('\n');
                for (var s : c.get("secrets")) {
                    sb.append("  secret ").append(s.get("name").asString()).append(" <- ")
                            .append(s.get("value_from").asString()).append('\n');
                }
            }
            return sb.toString();
        }
    }
}
