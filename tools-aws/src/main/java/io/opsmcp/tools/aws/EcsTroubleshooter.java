package io.opsmcp.tools.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.AwsTarget;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ecs_troubleshoot}: runs the service health, stopped-task, task-definition, log, metric and network
 * checks of the other families and turns what they found into ranked findings, each with evidence and, where a
 * tool can fix it, the remediation tool and its arguments. A check that fails (e.g. a missing IAM permission for
 * logs) becomes an informational finding; only a missing service stops the whole call.
 */
final class EcsTroubleshooter {

    /** Finding severities, most severe first. */
    enum Severity { CRITICAL, HIGH, MEDIUM, LOW, INFO }

    /** One finding; {@code tool} and {@code arguments} are null when no tool of this toolset fixes it. */
    record Finding(Severity severity, String category, String title, List<String> evidence, String tool,
                   ObjectNode arguments, String why, long weight) {
    }

    static final String LOG_FILTER = "?ERROR ?Error ?Exception ?FATAL ?OutOfMemoryError ?WARN";
    static final int STEPS = 6;

    private final Accounts accounts;
    private final EcsServiceTools services;
    private final EcsTaskTools tasks;
    private final CloudWatchLogTools logs;
    private final CloudWatchMetricTools metrics;
    private final EcsNetworkTools network;

    EcsTroubleshooter(Accounts accounts, EcsServiceTools services, EcsTaskTools tasks, CloudWatchLogTools logs,
                      CloudWatchMetricTools metrics, EcsNetworkTools network) {
        this.accounts = accounts;
        this.services = services;
        this.tasks = tasks;
        this.logs = logs;
        this.metrics = metrics;
        this.network = network;
    }

    List<OpsTool> tools() {
        return List.of(new Troubleshoot(accounts, this));
    }

    /** Runs every check and ranks the findings (the structured content of {@code ecs_troubleshoot}). */
    ObjectNode troubleshoot(AwsTarget t, String cluster, String service, ToolContext ctx) {
        Instant now = Instant.now();
        ToolContext quiet = new ToolContext(ctx.principal(), ctx.requestId(), ctx.deadline(), null, ctx.log());
        Map<String, String> checks = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();

        ctx.progress().report(0, (double) STEPS, "checking service health");
        ObjectNode health = services.health(t, cluster, service, 100, quiet, now);
        checks.put("health", "ok");
        ctx.progress().report(1, (double) STEPS, "checking stopped tasks");
        ObjectNode failures = run("task_failures", checks, findings,
                () -> tasks.failures(t, cluster, service, now.minus(Duration.ofHours(6)), 100, quiet));
        ctx.progress().report(2, (double) STEPS, "reading the task definition");
        TaskDefinition td = run("task_definition", checks, findings,
                () -> Ecs.taskDefinition(t, health.get("task_definition").asString()));
        ctx.progress().report(3, (double) STEPS, "reading logs");
        ObjectNode logScan = run("logs", checks, findings, () -> logs.scan(t, new CloudWatchLogTools.Query(cluster,
                service, null, LOG_FILTER, now.minus(Duration.ofHours(1)), now, 20, true), quiet));
        ctx.progress().report(4, (double) STEPS, "reading metrics");
        ObjectNode metricData = run("metrics", checks, findings, () -> metrics.metrics(t, cluster, service, 60, quiet));
        ctx.progress().report(5, (double) STEPS, "checking the network");
        ObjectNode net = run("network", checks, findings, () -> network.network(t, cluster, service, quiet));
        ctx.progress().report(6, (double) STEPS, "ranking findings");

        Ctx c = new Ctx(cluster, health.get("service").asString(), health, failures, td, logScan, metricData, net);
        findings.addAll(taskFindings(c));
        findings.addAll(healthFindings(c));
        findings.addAll(metricFindings(c));
        findings.addAll(logFindings(c));
        findings.addAll(networkFindings(c));
        if (findings.stream().noneMatch(f -> f.severity().compareTo(Severity.MEDIUM) <= 0)
                && "healthy".equals(health.get("verdict").asString())) {
            findings.add(new Finding(Severity.INFO, "healthy", "service is healthy: running "
                    + health.get("running").asInt() + " of " + health.get("desired").asInt()
                    + ", no failed deployment, no task failures", List.of(health.get("verdict_reasons").get(0).asString()),
                    null, null, null, 0));
        }
        findings.sort(Comparator.comparing(Finding::severity).thenComparing(f -> -f.weight()));

        ObjectNode out = AwsTool.result(t);
        out.put("cluster", AwsTool.shortName(cluster));
        out.put("service", c.service());
        out.put("verdict", health.get("verdict").asString());
        out.put("task_definition", health.get("task_definition").asString());
        ObjectNode checkNode = out.putObject("checks");
        checks.forEach(checkNode::put);
        ArrayNode arr = out.putArray("findings");
        int rank = 1;
        for (Finding f : findings) {
            ObjectNode n = arr.addObject();
            n.put("rank", rank++);
            n.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            n.put("category", f.category());
            n.put("title", f.title());
            ArrayNode ev = n.putArray("evidence");
            f.evidence().forEach(ev::add);
            if (f.tool() == null && f.why() == null) {
                n.putNull("remediation");
            } else {
                ObjectNode r = n.putObject("remediation");
                r.put("tool", f.tool());
                r.set("arguments", f.arguments());
                r.put("why", f.why());
            }
        }
        Finding top = findings.isEmpty() ? null : findings.get(0);
        out.put("summary", top == null ? "no findings" : top.severity().name().toLowerCase(Locale.ROOT) + ": " + top.title());
        return out;
    }

    private interface Check<T> {
        T run();
    }

    private static <T> T run(String name, Map<String, String> checks, List<Finding> findings, Check<T> check) {
        try {
            T value = check.run();
            checks.put(name, "ok");
            return value;
        } catch (ToolException e) {
            checks.put(name, "failed: " + e.getMessage());
            findings.add(new Finding(Severity.INFO, "check_failed", "the " + name.replace('_', ' ')
                    + " check could not run", List.of(e.getMessage()), null, null, null, 0));
            return null;
        }
    }

    /** Everything the rules look at. Members other than health may be null when their check failed. */
    private record Ctx(String cluster, String service, ObjectNode health, ObjectNode failures, TaskDefinition td,
                       ObjectNode logs, ObjectNode metrics, ObjectNode network) {

        boolean steady() {
            return "healthy".equals(health.get("verdict").asString());
        }

        ObjectNode args() {
            ObjectNode a = JsonNodeFactory.instance.objectNode();
            a.put("account", health.get("account").asString());
            a.put("region", health.get("region").asString());
            a.put("cluster", AwsTool.shortName(cluster));
            a.put("service", service);
            return a;
        }

        Double metric(String id, String field) {
            if (metrics == null || !metrics.get("metrics").has(id)) {
                return null;
            }
            JsonNode v = metrics.get("metrics").get(id).get(field);
            return v == null || v.isNull() ? null : v.asDouble();
        }

        List<String> logSignatures(String containing) {
            List<String> out = new ArrayList<>();
            if (logs != null) {
                for (JsonNode s : logs.get("summary").get("top_signatures")) {
                    if (containing == null || s.get("signature").asString().toLowerCase(Locale.ROOT).contains(containing)) {
                        out.add("log: " + s.get("count").asLong() + "x " + Text.cut(s.get("example").asString(), 200));
                    }
                }
            }
            return out;
        }
    }

    private static List<Finding> taskFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        if (c.failures() == null) {
            return out;
        }
        for (JsonNode cls : c.failures().get("classes")) {
            if (cls.get("normal").asBoolean()) {
                continue;
            }
            String type = cls.get("class").asString();
            int count = cls.get("count").asInt();
            int onCurrent = cls.get("on_current_task_definition").asInt();
            JsonNode newest = cls.get("examples").get(0);
            List<String> evidence = new ArrayList<>();
            evidence.add(count + " task(s) stopped since " + c.failures().get("since").asString().replaceFirst("\\.\\d+Z$", "Z")
                    + " ("
                    + onCurrent + " on the current task definition " + c.failures().get("current_task_definition").asString()
                    + "); newest " + newest.path("task_id").asString("") + " at " + newest.path("stopped_at").asString("-")
                    + ": " + newest.path("detail").asString(""));
            boolean resolved = onCurrent == 0 && c.steady();
            String suffix = resolved ? " (only on an earlier task definition; the current one is steady)" : "";
            switch (type) {
                case "out_of_memory" -> {
                    String container = containerOf(newest);
                    ContainerDefinition def = container(c.td(), container);
                    Integer memory = def == null ? null : def.memory();
                    if (def != null) {
                        evidence.add("container " + def.name() + " memory limit " + Text.str(def.memory())
                                + " MiB (reservation " + Text.str(def.memoryReservation()) + "), task memory "
                                + Text.str(c.td().memory()) + " MiB");
                    }
                    Double memMax = c.metric("memory_max", "max");
                    if (memMax != null) {
                        evidence.add("MemoryUtilization max " + memMax + "% (avg " + c.metric("memory_avg", "avg")
                                + "%) over the last hour");
                    }
                    evidence.addAll(c.logSignatures("memory"));
                    ObjectNode args = c.args();
                    String tool = null;
                    String why = "give the container more memory, or find the leak (heap dumps, ecs_logs)";
                    if (def != null && !resolved) {
                        int current = memory != null ? memory
                                : c.td().memory() != null ? Integer.parseInt(c.td().memory()) : 512;
                        args.put("container", def.name());
                        args.put("memory", suggestMemory(current));
                        tool = "ecs_update_task_resources";
                        why = "container " + def.name() + " is killed at its " + current + " MiB limit; "
                                + "double it (new task definition revision, then a deployment), then re-run "
                                + "ecs_troubleshoot to verify";
                    }
                    out.add(new Finding(resolved ? Severity.LOW : Severity.CRITICAL, "out_of_memory",
                            "tasks are killed for running out of memory (exit 137 / OutOfMemoryError)" + suffix,
                            evidence, tool, tool == null ? null : args, why, count));
                }
                case "image_pull" -> {
                    JsonNode primary = primary(c.health());
                    if (primary != null) {
                        evidence.add("deployment " + primary.path("task_definition").asString("") + " rollout "
                                + primary.path("rollout_state").asString("-") + ": "
                                + primary.path("rollout_state_reason").asString("-"));
                    }
                    out.add(new Finding(resolved ? Severity.LOW : Severity.CRITICAL, "image_pull",
                            "tasks cannot pull their container image" + suffix, evidence,
                            resolved ? null : "ecs_rollback_service", resolved ? null : c.args(),
                            "roll back to the previous task definition revision (whose image pulls), then fix the "
                                    + "image tag or the registry access of the execution role / network path", count));
                }
                case "resource_initialization" -> out.add(new Finding(resolved ? Severity.LOW : Severity.CRITICAL,
                        "resource_initialization", "tasks fail to initialise (secrets, ENI or log driver)" + suffix,
                        evidence, null, null, "check the execution role's access to the secrets and log group, and "
                        + "the subnets' free addresses (ecs_network)", count));
                case "elb_health_check" -> {
                    ObjectNode args = c.args();
                    int grace = c.health().path("health_check_grace_period_seconds").asInt(0);
                    args.put("seconds", Math.max(120, grace * 2));
                    out.add(new Finding(resolved ? Severity.LOW : Severity.HIGH, "elb_health_check",
                            "tasks are stopped for failing load balancer health checks" + suffix, evidence,
                            "ecs_update_health_check_grace_period", args, "if the application needs time to start, "
                            + "a longer grace period stops ECS from killing it before it is ready (now " + grace + " s)",
                            count));
                }
                case "container_health_check" -> out.add(new Finding(resolved ? Severity.LOW : Severity.HIGH,
                        "container_health_check", "tasks fail their container health check" + suffix, evidence, null,
                        null, "check the health check command and start period (ecs_task_definition) and the logs",
                        count));
                case "essential_container_exited" -> {
                    evidence.addAll(c.logSignatures(null).stream().limit(3).toList());
                    out.add(new Finding(resolved ? Severity.LOW : Severity.HIGH, "container_exit",
                            "an essential container exits with an error" + suffix, evidence, null, null,
                            "the application fails at run time; read the errors with ecs_logs", count));
                }
                default -> out.add(new Finding(resolved ? Severity.LOW : Severity.MEDIUM, type,
                        cls.get("description").asString() + suffix, evidence, null, null, null, count));
            }
        }
        return out;
    }

    private static List<Finding> healthFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        ObjectNode h = c.health();
        JsonNode primary = primary(h);
        if (primary != null && "FAILED".equals(primary.path("rollout_state").asString(""))) {
            out.add(new Finding(Severity.HIGH, "deployment_failed", "the current deployment ("
                    + primary.path("task_definition").asString("") + ") failed",
                    List.of("rollout state FAILED: " + primary.path("rollout_state_reason").asString("-"),
                            primary.path("failed_tasks").asInt() + " failed task(s) in this deployment"),
                    "ecs_rollback_service", c.args(), "return to the previous revision while the failure is fixed",
                    primary.path("failed_tasks").asInt()));
        }
        for (JsonNode g : h.get("events").get("groups")) {
            if ("cannot_place".equals(g.get("class").asString())) {
                String reason = g.path("reason").asString("other");
                out.add(new Finding(Severity.HIGH, "cannot_place_task", "ECS cannot place tasks (" + reason + ")",
                        List.of(g.get("count").asInt() + " event(s), latest " + g.get("last_at").asString("") + ": "
                                + g.get("latest_message").asString("")),
                        "eni".equals(reason) ? "ecs_network" : null, "eni".equals(reason) ? c.args() : null,
                        "memory".equals(reason) || "cpu".equals(reason) || "capacity".equals(reason)
                                ? "add capacity to the cluster or lower the task's reservation"
                                : "check the subnets and security groups", g.get("count").asInt()));
            }
        }
        int unhealthy = 0;
        List<String> evidence = new ArrayList<>();
        for (JsonNode lb : h.get("load_balancers")) {
            unhealthy += lb.get("unhealthy").asInt();
            for (JsonNode target : lb.get("targets")) {
                if ("unhealthy".equals(target.path("state").asString(""))) {
                    evidence.add("target " + target.path("id").asString("") + ":" + target.path("port").asInt() + " "
                            + target.path("reason").asString("-") + " — " + target.path("description").asString("-"));
                }
            }
        }
        if (unhealthy > 0) {
            out.add(new Finding(Severity.HIGH, "unhealthy_targets", unhealthy + " target(s) unhealthy in the load "
                    + "balancer", evidence, "ecs_logs", logArgs(c), "see why the application fails its health check",
                    unhealthy));
        }
        int desired = h.get("desired").asInt();
        int running = h.get("running").asInt();
        if (running < desired && out.stream().noneMatch(f -> f.severity() == Severity.HIGH)) {
            out.add(new Finding(Severity.MEDIUM, "capacity", "running " + running + " of desired " + desired
                    + " tasks", List.of(h.get("verdict_reasons").toString()), null, null, null, desired - running));
        }
        return out;
    }

    private static List<Finding> metricFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        Double cpuMax = c.metric("cpu_max", "max");
        if (cpuMax != null && cpuMax >= 90) {
            ObjectNode args = c.args();
            args.put("desired_count", c.health().get("desired").asInt() + 1);
            out.add(new Finding(Severity.MEDIUM, "cpu_saturation", "CPU reached " + cpuMax + "% in the last hour",
                    List.of("CPUUtilization max " + cpuMax + "%, avg " + c.metric("cpu_avg", "avg") + "%"),
                    "ecs_scale_service", args, "add a task to spread the load (or raise cpu with "
                    + "ecs_update_task_resources)", cpuMax.longValue()));
        }
        Double memMax = c.metric("memory_max", "max");
        boolean oom = c.failures() != null && c.failures().get("counts").has("out_of_memory");
        if (memMax != null && memMax >= 90 && !oom) {
            out.add(new Finding(Severity.MEDIUM, "memory_pressure", "memory reached " + memMax + "% in the last hour",
                    List.of("MemoryUtilization max " + memMax + "%, avg " + c.metric("memory_avg", "avg") + "%"),
                    null, null, "close to the limit: tasks will be killed at 100%", memMax.longValue()));
        }
        Double target5xx = c.metric("target_5xx", "sum");
        Double elb5xx = c.metric("elb_5xx", "sum");
        double errors = (target5xx == null ? 0 : target5xx) + (elb5xx == null ? 0 : elb5xx);
        if (errors > 0) {
            out.add(new Finding(Severity.MEDIUM, "http_5xx", (long) errors + " HTTP 5xx responses in the last hour",
                    List.of("target 5xx " + (target5xx == null ? 0 : target5xx.longValue()) + ", load balancer 5xx "
                            + (elb5xx == null ? 0 : elb5xx.longValue())), "ecs_logs", logArgs(c),
                    "users see errors; the logs show which requests fail", (long) errors));
        }
        Double latency = c.metric("target_response_time", "avg");
        if (latency != null && latency > 1.0) {
            out.add(new Finding(Severity.LOW, "latency", "average response time " + latency + " s",
                    List.of("TargetResponseTime avg " + latency + " s, max " + c.metric("target_response_time", "max")),
                    null, null, null, (long) (latency * 1000)));
        }
        return out;
    }

    private static List<Finding> logFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        if (c.logs() == null) {
            return out;
        }
        long errors = c.logs().get("summary").get("levels").get("error").asLong();
        long warnings = c.logs().get("summary").get("levels").get("warn").asLong();
        if (errors + warnings == 0) {
            return out;
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(errors + " error and " + warnings + " warning line(s) in the last hour in "
                + c.logs().get("log_group").asString());
        evidence.addAll(c.logSignatures(null).stream().limit(3).toList());
        out.add(new Finding(errors > 10 ? Severity.MEDIUM : Severity.LOW, "log_errors",
                errors > 0 ? "the application logs errors" : "the application logs warnings", evidence, "ecs_logs",
                logArgs(c), "read the newest errors", errors));
        return out;
    }

    private static List<Finding> networkFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        if (c.network() == null) {
            return out;
        }
        for (JsonNode issue : c.network().get("issues")) {
            Severity s = "high".equals(issue.get("severity").asString()) ? Severity.HIGH : Severity.MEDIUM;
            out.add(new Finding(s, "network", issue.get("message").asString(), List.of(issue.get("message").asString()),
                    "ecs_network", c.args(), "fix the security group, subnet or target group configuration", 1));
        }
        return out;
    }

    private static ObjectNode logArgs(Ctx c) {
        ObjectNode a = c.args();
        a.put("filter_pattern", "?ERROR ?Exception");
        a.put("since", "1h");
        return a;
    }

    private static JsonNode primary(ObjectNode health) {
        for (JsonNode d : health.get("deployments")) {
            if ("PRIMARY".equals(d.path("status").asString(""))) {
                return d;
            }
        }
        return null;
    }

    private static String containerOf(JsonNode example) {
        for (JsonNode c : example.get("containers")) {
            if (c.path("exit_code").asInt(0) == 137 || c.path("reason").asString("").contains("OutOfMemory")) {
                return c.get("name").asString();
            }
        }
        return example.get("containers").isEmpty() ? null : example.get("containers").get(0).get("name").asString();
    }

    private static ContainerDefinition container(TaskDefinition td, String name) {
        if (td == null) {
            return null;
        }
        return td.containerDefinitions().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElse(td.containerDefinitions().isEmpty() ? null : td.containerDefinitions().get(0));
    }

    /** Twice the current memory, rounded up to a multiple of 256 MiB. */
    static int suggestMemory(int currentMiB) {
        int doubled = currentMiB * 2;
        return (doubled + 255) / 256 * 256;
    }

    static String text(ObjectNode o) {
        StringBuilder sb = new StringBuilder();
        sb.append("troubleshooting service ").append(o.get("service").asString()).append(" in cluster ")
                .append(o.get("cluster").asString()).append(" (").append(o.get("account").asString()).append(", ")
                .append(o.get("region").asString()).append("): verdict ").append(o.get("verdict").asString())
                .append(", task definition ").append(o.get("task_definition").asString()).append('\n');
        for (JsonNode f : o.get("findings")) {
            sb.append('\n').append(f.get("rank").asInt()).append(". [").append(f.get("severity").asString().toUpperCase(Locale.ROOT))
                    .append("] ").append(f.get("title").asString()).append(" (").append(f.get("category").asString()).append(")\n");
            for (JsonNode e : f.get("evidence")) {
                sb.append("   - ").append(e.asString()).append('\n');
            }
            JsonNode r = f.get("remediation");
            if (r != null && !r.isNull()) {
                if (r.hasNonNull("tool")) {
                    sb.append("   => ").append(r.get("tool").asString()).append(' ').append(r.get("arguments")).append('\n');
                }
                if (r.hasNonNull("why")) {
                    sb.append("      ").append(r.get("why").asString()).append('\n');
                }
            }
        }
        o.get("checks").properties().forEach(e -> {
            if (!"ok".equals(e.getValue().asString())) {
                sb.append("\ncheck ").append(e.getKey()).append(": ").append(e.getValue().asString());
            }
        });
        return sb.toString();
    }

    /** {@code ecs_troubleshoot}. */
    static final class Troubleshoot extends AwsTool {

        private final EcsTroubleshooter family;

        Troubleshoot(Accounts accounts, EcsTroubleshooter family) {
            super(accounts);
            this.family = family;
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode remediation = JsonSchemas.properties();
            remediation.set("tool", JsonSchemas.nullable("string", "tool that fixes it"));
            remediation.set("arguments", JsonSchemas.nullable("object", "arguments for that tool"));
            remediation.set("why", JsonSchemas.nullable("string", "what the remediation does"));
            ObjectNode finding = JsonSchemas.properties();
            finding.set("rank", JsonSchemas.type("integer", "1 = most important"));
            finding.set("severity", JsonSchemas.enumeration("severity",
                    List.of("critical", "high", "medium", "low", "info"), "info"));
            finding.set("category", JsonSchemas.type("string", "out_of_memory, image_pull, resource_initialization, "
                    + "elb_health_check, container_health_check, container_exit, deployment_failed, cannot_place_task, "
                    + "unhealthy_targets, capacity, cpu_saturation, memory_pressure, http_5xx, latency, log_errors, "
                    + "network, check_failed, healthy"));
            finding.set("title", JsonSchemas.type("string", "one line"));
            finding.set("evidence", JsonSchemas.arrayOf(JsonSchemas.type("string", "fact"), "what shows it"));
            ObjectNode rem = JsonSchemas.output(remediation);
            rem.putArray("type").add("object").add("null");
            finding.set("remediation", rem);
            ObjectNode out = Schemas.scopedOutput();
            out.set("cluster", JsonSchemas.type("string", "cluster"));
            out.set("service", JsonSchemas.type("string", "service"));
            out.set("verdict", JsonSchemas.type("string", "healthy, deploying, degraded, failing"));
            out.set("summary", JsonSchemas.type("string", "the top finding in one line"));
            out.set("checks", JsonSchemas.type("object", "check -> ok | failed: reason"));
            out.set("findings", JsonSchemas.arrayOf(JsonSchemas.output(finding, "rank", "severity", "category", "title",
                    "evidence"), "ranked findings, most important first"));
            return new ToolDefinition("ecs_troubleshoot", "Troubleshoot an ECS service",
                    "One call for the whole picture of a misbehaving ECS service: runs the health, stopped-task, "
                            + "task-definition, log, metric and network checks and returns ranked findings "
                            + "(severity, category, evidence) with the remediation tool and arguments that would fix "
                            + "each (run those with dry_run first).",
                    JsonSchemas.input(Schemas.service(), "cluster", "service"),
                    JsonSchemas.output(out, "account", "region", "cluster", "service", "verdict", "findings"),
                    ToolAnnotations.readOnly());
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            ObjectNode out = family.troubleshoot(t, Args.cluster(args), Args.service(args), ctx);
            return ToolResult.ok(text(out), out);
        }
    }
}
