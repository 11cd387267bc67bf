package io.opsmcp.tools.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ecs_troubleshoot}: runs the service health, stopped-task, task-definition, ECR image, log, metric,
 * network, CloudFormation and cluster-wide stopped-task checks over one per-call snapshot and turns what they found
 * into ranked findings, each with evidence and, where a tool can fix it, the remediation tool and its arguments.
 * A check that fails (a missing IAM permission, an unexpected answer) becomes an informational
 * {@code check_failed} finding; only a missing service stops the whole call. A remediation that changes a
 * container targets the container the failure is attributed to, and a memory change needs out-of-memory evidence
 * (the OutOfMemoryError reason, MemoryUtilization ≥ 95 %, or out-of-memory log lines), never an exit code alone.
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

    /**
     * Runs every check and ranks the findings (the structured content of {@code ecs_troubleshoot}). All checks
     * read one per-call snapshot ({@link AwsTarget#snapshot}): the service, its task definition and target groups
     * are fetched once. Every check and every rule family fails alone, as a {@code check_failed} finding; only a
     * missing service stops the call.
     */
    ObjectNode troubleshoot(AwsTarget target, String cluster, String service, ToolContext ctx) {
        AwsTarget t = target.snapshot();
        Instant now = Instant.now();
        ToolContext quiet = ctx.withProgress(null);
        Map<String, String> checks = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();

        ctx.progress().report(0, (double) STEPS, "checking service health");
        Service svc = Ecs.service(t, cluster, service);
        ObjectNode health = run("health", checks, findings, () -> services.health(t, cluster, service, 100, quiet, now));
        ctx.progress().report(1, (double) STEPS, "checking stopped tasks");
        ObjectNode failures = run("task_failures", checks, findings,
                () -> tasks.failures(t, cluster, service, now.minus(Duration.ofHours(6)), 100, quiet));
        ctx.progress().report(2, (double) STEPS, "reading the task definition");
        TaskDefinition td = run("task_definition", checks, findings, () -> Ecs.taskDefinitionOf(t, svc));
        ArrayNode images = td == null ? null : run("ecr_images", checks, findings, () -> ecrImages(t, td));
        ctx.progress().report(3, (double) STEPS, "reading logs");
        ObjectNode logScan = td == null ? null : run("logs", checks, findings, () -> logs.scan(t,
                new CloudWatchLogTools.Query(cluster, service, null, LOG_FILTER, now.minus(Duration.ofHours(1)), now, 20,
                        true), quiet));
        ctx.progress().report(4, (double) STEPS, "reading metrics");
        ObjectNode metricData = run("metrics", checks, findings, () -> metrics.metrics(t, cluster, service, 60, quiet));
        ctx.progress().report(5, (double) STEPS, "checking the network");
        boolean timeouts = failures != null && timeouts(failures);
        ObjectNode net = td == null ? null : run("network", checks, findings,
                () -> network.network(t, cluster, service, timeouts, quiet));
        ObjectNode stack = stackName(svc) == null ? null : run("cloudformation", checks, findings,
                () -> stackEvents(t, stackName(svc), now));
        ObjectNode clusterView = failures == null || !hasFailures(failures) ? null
                : run("cluster_stopped_tasks", checks, findings, () -> clusterStopped(t, cluster, svc.serviceName(), now));
        ctx.progress().report(6, (double) STEPS, "ranking findings");

        Ctx c = new Ctx(now, cluster, svc.serviceName(), t.account().name(), t.region(), svc, health, failures, td,
                logScan, metricData, net, images, stack, clusterView);
        rules("task findings", findings, () -> taskFindings(c));
        rules("image findings", findings, () -> imageFindings(c, findings));
        rules("health findings", findings, () -> healthFindings(c));
        rules("metric findings", findings, () -> metricFindings(c));
        rules("log findings", findings, () -> logFindings(c));
        rules("network findings", findings, () -> networkFindings(c, findings));
        rules("cloudformation findings", findings, () -> stackFindings(c));
        if (health != null && findings.stream().noneMatch(f -> f.severity().compareTo(Severity.MEDIUM) <= 0)
                && "healthy".equals(health.get("verdict").asString())) {
            findings.add(new Finding(Severity.INFO, "healthy", "service is healthy: running "
                    + health.get("running").asInt() + " of " + health.get("desired").asInt()
                    + ", no failed deployment, no task failures", List.of(health.get("verdict_reasons").get(0).asString()),
                    null, null, null, Long.MAX_VALUE));
        }
        findings.sort(Comparator.comparing(Finding::severity).thenComparing(f -> -f.weight()));

        ObjectNode out = AwsTool.result(target);
        out.put("cluster", AwsTool.shortName(cluster));
        out.put("service", c.service());
        out.put("verdict", health == null ? "unknown" : health.get("verdict").asString());
        out.put("task_definition", Ecs.familyRevision(Ecs.currentTaskDefinition(svc)));
        out.put("deployment_controller", svc.deploymentController() == null ? "ECS"
                : svc.deploymentController().typeAsString());
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

    /** Runs one check; any failure becomes a {@code check_failed} finding and a null result. */
    private static <T> T run(String name, Map<String, String> checks, List<Finding> findings, Check<T> check) {
        try {
            T value = check.run();
            checks.put(name, "ok");
            return value;
        } catch (ToolException e) {
            failed(name, e.getMessage(), checks, findings);
            return null;
        } catch (RuntimeException e) {
            // a bug or an unexpected answer: this check is lost, the others still run; no stack trace to the client
            failed(name, "internal error in this check (" + e.getClass().getSimpleName() + ")", checks, findings);
            return null;
        }
    }

    private static void failed(String name, String message, Map<String, String> checks, List<Finding> findings) {
        checks.put(name, "failed: " + message);
        findings.add(new Finding(Severity.INFO, "check_failed", "the " + name.replace('_', ' ')
                + " check could not run", List.of(message), null, null, null, 0));
    }

    /** Runs one rule family; a failure loses only its findings. */
    private static void rules(String name, List<Finding> findings, Check<List<Finding>> rules) {
        try {
            findings.addAll(rules.run());
        } catch (RuntimeException e) {
            findings.add(new Finding(Severity.INFO, "check_failed", "the " + name + " could not be evaluated",
                    List.of("internal error (" + e.getClass().getSimpleName() + ")"), null, null, null, 0));
        }
    }

    /** Everything the rules look at. Members other than the service may be null when their check failed. */
    private record Ctx(Instant now, String cluster, String service, String account, String region, Service svc,
                       ObjectNode health,
                       ObjectNode failures, TaskDefinition td, ObjectNode logs, ObjectNode metrics, ObjectNode network,
                       ArrayNode images, ObjectNode stack, ObjectNode clusterView) {

        boolean steady() {
            return health != null && "healthy".equals(health.get("verdict").asString());
        }

        /**
         * Whether ECS itself deploys this service. Under CODE_DEPLOY or EXTERNAL a new task definition goes out
         * through CodeDeploy or the external controller, so the remediation tools that call UpdateService with a
         * task definition do not apply.
         */
        boolean ecsController() {
            return svc.deploymentController() == null
                    || "ECS".equals(svc.deploymentController().typeAsString());
        }

        int desired() {
            return svc.desiredCount() == null ? 0 : svc.desiredCount();
        }

        int running() {
            return svc.runningCount() == null ? 0 : svc.runningCount();
        }

        ObjectNode args() {
            ObjectNode a = JsonNodeFactory.instance.objectNode();
            a.put("account", account);
            a.put("region", region);
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

        List<String> logSignatures(String... words) {
            List<String> out = new ArrayList<>();
            if (logs != null) {
                for (JsonNode s : logs.get("summary").get("top_signatures")) {
                    List<String> w = Text.words(s.get("signature").asString());
                    if (words.length == 0 || Arrays.stream(words).anyMatch(x -> Text.phrase(w, x))) {
                        out.add("log: " + s.get("count").asLong() + "x " + Text.cut(s.get("example").asString(), 200));
                    }
                }
            }
            return out;
        }

        /** Memory evidence beyond an exit code: MemoryUtilization near 100 % or out-of-memory log lines. */
        List<String> memoryEvidence() {
            List<String> ev = new ArrayList<>();
            Double memMax = metric("memory_max", "max");
            if (memMax != null && memMax >= MEMORY_EVIDENCE_PERCENT) {
                ev.add("MemoryUtilization max " + memMax + "% (avg " + metric("memory_avg", "avg") + "%) over the last hour");
            }
            ev.addAll(logSignatures("outofmemoryerror", "out of memory", "oomkilled", "cannot allocate memory"));
            return ev;
        }

        boolean networkIssue(String kind) {
            if (network == null) {
                return false;
            }
            for (JsonNode i : network.get("issues")) {
                if (kind.equals(i.path("kind").asString(""))) {
                    return true;
                }
            }
            return false;
        }

        List<String> networkIssues(String kind) {
            List<String> out = new ArrayList<>();
            if (network != null) {
                for (JsonNode i : network.get("issues")) {
                    if (kind.equals(i.path("kind").asString(""))) {
                        out.add("network: " + i.get("message").asString());
                    }
                }
            }
            return out;
        }

        /** "cluster-wide: …" when stopped tasks of other services share the class. */
        List<String> clusterWide(String cls) {
            if (clusterView == null || !clusterView.get("classes").has(cls)) {
                return List.of();
            }
            JsonNode n = clusterView.get("classes").get(cls);
            return List.of("cluster-wide: " + n.get("tasks").asInt() + " stopped task(s) of " + n.get("services").size()
                    + " other service(s) " + n.get("services") + " failed the same way: look for a cluster- or "
                    + "VPC-level cause");
        }
    }

    /** MemoryUtilization (max over the last hour) from which an exit 137 counts as out of memory. */
    static final double MEMORY_EVIDENCE_PERCENT = 95;

    private static boolean hasFailures(ObjectNode failures) {
        for (JsonNode cls : failures.get("classes")) {
            if (!cls.get("normal").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Whether image pulls, secret fetches or registry auth time out or cannot resolve: worth the egress check. */
    private static boolean timeouts(ObjectNode failures) {
        for (JsonNode cls : failures.get("classes")) {
            String type = cls.get("class").asString();
            if (!"image_pull".equals(type) && !"resource_initialization".equals(type)) {
                continue;
            }
            for (JsonNode ex : cls.get("examples")) {
                List<String> w = Text.words(ex.path("detail").asString(""));
                if (Text.phrase(w, "i o timeout", "context deadline exceeded", "no such host", "request canceled",
                        "connection timed out", "timed out", "timeout")) {
                    return true;
                }
            }
        }
        return false;
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
                    + " (" + onCurrent + " on the current task definition "
                    + c.failures().path("current_task_definition").asString("-") + "); newest "
                    + newest.path("task_id").asString("") + " at " + newest.path("stopped_at").asString("-")
                    + ": " + newest.path("detail").asString(""));
            // failures only on an earlier revision, or none for an hour, while the service is steady now, are
            // history: reported, never ranked above the service's present state, and never remediated
            Instant newestAt = parseInstant(newest.path("stopped_at").asString(null));
            boolean old = newestAt != null && newestAt.isBefore(c.now().minus(EcsServiceTools.RECENT));
            boolean resolved = (onCurrent == 0 || old) && c.steady();
            String suffix = !resolved ? "" : onCurrent == 0
                    ? " (only on an earlier task definition; the current one is steady)"
                    : " (none for over an hour; the service is steady now)";
            Severity history = Severity.INFO;
            String container = newest.path("failing_container").asString(null);
            switch (type) {
                case "out_of_memory" -> out.add(memoryFinding(c, container, evidence, count, resolved, suffix,
                        "tasks are killed for running out of memory (OutOfMemoryError)"));
                case "essential_container_exited" -> {
                    int exit = newest.path("failing_exit_code").asInt(-1);
                    List<String> mem = exit == 137 ? c.memoryEvidence() : List.of();
                    if (!mem.isEmpty()) {
                        evidence.add("exit 137 is SIGKILL; with this memory evidence it is the OOM killer:");
                        evidence.addAll(mem);
                        out.add(memoryFinding(c, container, evidence, count, resolved, suffix,
                                "container " + container + " is killed (exit 137) while memory is exhausted"));
                        break;
                    }
                    if (exit == 137) {
                        evidence.add("exit 137 = SIGKILL with no out-of-memory reason and no memory evidence: the OOM "
                                + "killer, or the kill after stopTimeout when the container ignores SIGTERM");
                    }
                    evidence.addAll(c.logSignatures().stream().limit(3).toList());
                    out.add(new Finding(resolved ? history : Severity.HIGH, "container_exit",
                            "essential container " + (container == null ? "" : container + " ") + "exits"
                                    + (exit >= 0 ? " with code " + exit : "") + suffix, evidence, null, null,
                            "the application fails at run time; read the errors with ecs_logs"
                                    + (container == null ? "" : " (container " + container + ")"), count));
                }
                case "image_pull" -> {
                    JsonNode primary = c.health() == null ? null : primary(c.health());
                    if (primary != null) {
                        evidence.add("deployment " + primary.path("task_definition").asString("") + " rollout "
                                + primary.path("rollout_state").asString("-") + ": "
                                + primary.path("rollout_state_reason").asString("-"));
                    }
                    evidence.addAll(missingImages(c));
                    evidence.addAll(c.networkIssues("egress"));
                    boolean rollback = !resolved && c.ecsController() && c.svc().deployments().size() > 1;
                    out.add(new Finding(resolved ? history : Severity.CRITICAL, "image_pull",
                            "tasks cannot pull their container image" + suffix, evidence,
                            rollback ? "ecs_rollback_service" : null, rollback ? c.args() : null,
                            (rollback ? "roll back to the previous task definition revision (whose image pulls), then "
                                    : "") + "fix the image tag, the registry access of the execution role or the "
                                    + "network path to the registry", count));
                }
                case "cannot_start_container" -> out.add(new Finding(resolved ? history : Severity.CRITICAL,
                        "cannot_start_container", "the container runtime cannot start container "
                        + (container == null ? "" : container + " ") + suffix, evidence, null, null,
                        "the image's entrypoint/command cannot run (missing executable, permissions, architecture, "
                                + "bad mount): check the image and the task definition's command", count));
                case "host_problem" -> out.add(new Finding(resolved ? history : Severity.HIGH, "host_problem",
                        "the container runtime on the host does not respond (inspect/start/stop timeouts)" + suffix,
                        with(evidence, c.clusterWide(type)), null, null,
                        "a host or runtime problem, not the application: on EC2 drain and replace the instance; "
                                + "on Fargate the task is retried elsewhere, persistent cases go to AWS support", count));
                case "eni_provisioning" -> out.add(new Finding(resolved ? history : Severity.HIGH, "eni_provisioning",
                        "the task's network interface is not provisioned in time" + suffix,
                        with(evidence, c.clusterWide(type)), resolved ? null : "ecs_network", resolved ? null : c.args(),
                        "check the subnets' free addresses and ENI limits (trunking on EC2); on EC2 an instance that "
                                + "keeps failing ENI attachment should be replaced", count));
                case "resource_initialization" -> out.add(new Finding(resolved ? history : Severity.CRITICAL,
                        "resource_initialization", "tasks fail to initialise (secrets, log driver, volumes)" + suffix,
                        with(with(evidence, c.networkIssues("egress")), c.clusterWide(type)), null, null,
                        "check the execution role's access to the secrets and log group, the volumes, and the "
                                + "subnets' route to the AWS endpoints (ecs_network)", count));
                case "elb_health_check" -> {
                    ObjectNode args = c.args();
                    int grace = c.svc().healthCheckGracePeriodSeconds() == null ? 0 : c.svc().healthCheckGracePeriodSeconds();
                    args.put("seconds", Math.max(120, grace * 2));
                    out.add(new Finding(resolved ? history : Severity.HIGH, "elb_health_check",
                            "tasks are stopped for failing load balancer health checks" + suffix,
                            with(evidence, c.networkIssues("lb_ingress")),
                            "ecs_update_health_check_grace_period", args, "if the application needs time to start, "
                            + "a longer grace period stops ECS from killing it before it is ready (now " + grace + " s)",
                            count));
                }
                case "container_health_check" -> out.add(new Finding(resolved ? history : Severity.HIGH,
                        "container_health_check", "tasks fail their container health check" + suffix, evidence, null,
                        null, "check the health check command and start period (ecs_task_definition) and the logs",
                        count));
                case "spot_interruption" -> {
                    boolean settled = c.steady() || c.running() >= c.desired();
                    out.add(new Finding(settled ? Severity.INFO : Severity.MEDIUM, "spot_interruption",
                            settled ? "Spot tasks were interrupted and replaced (normal for Fargate Spot / Spot capacity)"
                                    : "Spot tasks were interrupted and not all are back (running " + c.running()
                                    + " of " + c.desired() + ")", evidence, null, null,
                            settled ? null : "Spot capacity is short: add an on-demand capacity provider base or "
                                    + "spread across more instance types / zones", count));
                }
                default -> out.add(new Finding(resolved ? history : Severity.MEDIUM, type,
                        cls.get("description").asString() + suffix, evidence, null, null, null, count));
            }
        }
        return out;
    }

    private static Instant parseInstant(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static List<String> with(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * The out-of-memory finding. A memory change is proposed only for the container the failure is attributed to,
     * found by exact name in the task definition, with a limit to start from (its hard limit, its reservation,
     * or the task's memory), and only while the failure is on the current revision.
     */
    private static Finding memoryFinding(Ctx c, String container, List<String> evidence, int count, boolean resolved,
                                         String suffix, String title) {
        ContainerDefinition def = container(c.td(), container);
        if (def != null) {
            evidence.add("container " + def.name() + " memory limit " + Text.str(def.memory())
                    + " MiB (reservation " + Text.str(def.memoryReservation()) + "), task memory "
                    + Text.str(c.td().memory()) + " MiB");
        }
        for (String e : c.memoryEvidence()) {
            if (!evidence.contains(e)) {
                evidence.add(e);
            }
        }
        Integer current = def == null ? null : def.memory() != null ? def.memory()
                : def.memoryReservation() != null ? def.memoryReservation()
                : c.td().memory() != null && c.td().memory().matches("\\d+") ? Integer.valueOf(c.td().memory()) : null;
        ObjectNode args = c.args();
        String tool = null;
        String why = "give the container more memory, or find the leak (heap dumps, ecs_logs)";
        if (!c.ecsController()) {
            why = "give container " + container + " more memory in a new task definition revision and deploy it through "
                    + "the service's " + c.svc().deploymentController().typeAsString() + " deployment controller";
        } else if (def != null && current != null && !resolved) {
            args.put("container", def.name());
            args.put("memory", suggestMemory(current));
            tool = "ecs_update_task_resources";
            why = "container " + def.name() + " is killed at its " + current + " MiB; double it (new task definition "
                    + "revision, then a deployment), then re-run ecs_troubleshoot to verify";
        }
        return new Finding(resolved ? Severity.INFO : Severity.CRITICAL, "out_of_memory", title + suffix, evidence,
                tool, tool == null ? null : args, why, count);
    }

    /** Missing ECR images of the current task definition as evidence lines. */
    private static List<String> missingImages(Ctx c) {
        List<String> out = new ArrayList<>();
        if (c.images() != null) {
            for (JsonNode i : c.images()) {
                String status = i.get("status").asString();
                if (status.startsWith("missing")) {
                    out.add("ECR: image " + i.get("image").asString() + " of container " + i.get("container").asString()
                            + (status.equals("missing_repository") ? ": the repository does not exist"
                            : ": the tag does not exist in the repository"));
                }
            }
        }
        return out;
    }

    /** An image of the current revision missing from ECR, before (or without) stopped tasks saying so. */
    private static List<Finding> imageFindings(Ctx c, List<Finding> sofar) {
        List<String> missing = missingImages(c);
        if (missing.isEmpty() || sofar.stream().anyMatch(f -> "image_pull".equals(f.category()))) {
            return List.of();
        }
        boolean rollback = c.ecsController() && c.svc().deployments().size() > 1;
        return List.of(new Finding(Severity.CRITICAL, "image_pull", "the task definition names an image that is not "
                + "in ECR: new tasks will fail to pull it", missing, rollback ? "ecs_rollback_service" : null,
                rollback ? c.args() : null, "push the image (or fix the tag in the task definition)"
                + (rollback ? "; rolling back returns to the revision whose image exists" : ""), missing.size()));
    }

    private static List<Finding> healthFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        ObjectNode h = c.health();
        if (h == null) {
            return out;
        }
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
            String cls = g.get("class").asString();
            // only what the service does now: events of the last hour after its newest steady state
            int recent = g.path("recent").asInt(0);
            if (recent == 0) {
                continue;
            }
            List<String> ev = List.of(recent + " event(s) in the last hour (" + g.get("count").asInt()
                    + " in all), latest " + g.get("last_at").asString("") + ": " + g.get("latest_message").asString(""));
            if ("cannot_place".equals(cls)) {
                String reason = g.path("reason").asString("other");
                out.add(new Finding(Severity.HIGH, "cannot_place_task", "ECS cannot place tasks (" + reason + ")", ev,
                        "eni".equals(reason) ? "ecs_network" : null, "eni".equals(reason) ? c.args() : null,
                        "memory".equals(reason) || "cpu".equals(reason) || "capacity".equals(reason)
                                ? "add capacity to the cluster or lower the task's reservation"
                                : "ports".equals(reason) ? "use dynamic host ports (hostPort 0) or awsvpc, or add instances"
                                : "attribute".equals(reason) ? "check the placement constraints and the instances' attributes"
                                : "check the subnets' free addresses and security groups", recent));
            } else if ("launch_failed".equals(cls)) {
                boolean iam = "iam_role".equals(g.path("reason").asString(""));
                out.add(new Finding(c.running() == 0 ? Severity.CRITICAL : Severity.HIGH, iam ? "iam_role" : "launch_failed",
                        iam ? "ECS cannot assume the task's IAM role, so tasks do not launch" : "ECS fails to launch tasks",
                        ev, null, null, iam ? "fix the role's trust policy (principal ecs-tasks.amazonaws.com) and "
                        + "the caller's iam:PassRole on it" : "read the event message for the cause", recent));
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
                    + "balancer", with(evidence, c.networkIssues("lb_ingress")), "ecs_logs", logArgs(c),
                    "see why the application fails its health check", unhealthy));
        }
        int desired = h.get("desired").asInt();
        int running = h.get("running").asInt();
        if (running < desired && out.stream().noneMatch(f -> f.severity().compareTo(Severity.HIGH) <= 0)) {
            out.add(new Finding(Severity.MEDIUM, "capacity", "running " + running + " of desired " + desired
                    + " tasks", List.of(h.get("verdict_reasons").toString()), null, null, null, desired - running));
        }
        return out;
    }

    /** 5xx responses of the last hour as a share of RequestCount from which they are a finding. */
    static final double ERROR_RATE = 0.01;
    /** Without a RequestCount, this many 5xx in an hour are a finding. */
    static final long ERRORS_WITHOUT_RATE = 50;

    private static List<Finding> metricFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        Double cpuMax = c.metric("cpu_max", "max");
        if (cpuMax != null && cpuMax >= 90) {
            ObjectNode args = c.args();
            args.put("desired_count", c.desired() + 1);
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
        Double requests = c.metric("requests", "sum");
        double errors = (target5xx == null ? 0 : target5xx) + (elb5xx == null ? 0 : elb5xx);
        double rate = requests == null || requests <= 0 ? Double.NaN : errors / (requests + (elb5xx == null ? 0 : elb5xx));
        boolean fires = Double.isNaN(rate) ? errors >= ERRORS_WITHOUT_RATE : rate >= ERROR_RATE && errors >= 5;
        if (fires) {
            String share = Double.isNaN(rate) ? "" : String.format(Locale.ROOT, " (%.1f %% of %d requests)", rate * 100,
                    requests.longValue());
            out.add(new Finding(!Double.isNaN(rate) && rate >= 0.05 ? Severity.HIGH : Severity.MEDIUM, "http_5xx",
                    (long) errors + " HTTP 5xx responses in the last hour" + share,
                    List.of("target 5xx " + (target5xx == null ? 0 : target5xx.longValue()) + ", load balancer 5xx "
                            + (elb5xx == null ? 0 : elb5xx.longValue()) + ", requests "
                            + (requests == null ? "unknown" : requests.longValue())), "ecs_logs", logArgs(c),
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
        evidence.addAll(c.logSignatures().stream().limit(3).toList());
        out.add(new Finding(errors > 10 ? Severity.MEDIUM : Severity.LOW, "log_errors",
                errors > 0 ? "the application logs errors" : "the application logs warnings", evidence, "ecs_logs",
                logArgs(c), "read the newest errors", errors));
        return out;
    }

    private static List<Finding> networkFindings(Ctx c, List<Finding> sofar) {
        List<Finding> out = new ArrayList<>();
        if (c.network() == null) {
            return out;
        }
        // load balancer health checks failing while no security group lets the load balancer in: that is the cause
        boolean lbFailing = sofar.stream().anyMatch(f -> "elb_health_check".equals(f.category())
                || "unhealthy_targets".equals(f.category()))
                || c.health() != null && c.health().get("load_balancers").valueStream()
                .anyMatch(lb -> lb.get("unhealthy").asInt() > 0);
        for (JsonNode issue : c.network().get("issues")) {
            String kind = issue.path("kind").asString("config");
            Severity s = "lb_ingress".equals(kind) && lbFailing ? Severity.CRITICAL
                    : "high".equals(issue.get("severity").asString()) ? Severity.HIGH : Severity.MEDIUM;
            out.add(new Finding(s, "network", issue.get("message").asString(), List.of(issue.get("message").asString()),
                    "ecs_network", c.args(), "fix the security group, route table, subnet or target group "
                    + "configuration", 1));
        }
        return out;
    }

    /** A failed CloudFormation operation on the stack that manages the service, in the last day. */
    private static List<Finding> stackFindings(Ctx c) {
        if (c.stack() == null) {
            return List.of();
        }
        JsonNode events = c.stack().get("events");
        if (events.isEmpty()) {
            return List.of();
        }
        String newest = events.get(0).get("status").asString();
        List<String> failed = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.get("status").asString().endsWith("_FAILED") && e.hasNonNull("reason")) {
                failed.add(e.get("at").asString() + " " + e.get("resource").asString() + " " + e.get("status").asString()
                        + ": " + Text.cut(e.get("reason").asString(), 300));
            }
        }
        boolean broken = newest.endsWith("_FAILED") || newest.contains("ROLLBACK");
        if (!broken || failed.isEmpty()) {
            return List.of();
        }
        List<String> ev = new ArrayList<>();
        ev.add("stack " + c.stack().get("stack").asString() + " manages the service; newest stack event "
                + events.get(0).get("resource").asString() + " " + newest);
        ev.addAll(failed.stream().limit(3).toList());
        return List.of(new Finding(Severity.HIGH, "cloudformation", "the last CloudFormation update of stack "
                + c.stack().get("stack").asString() + " failed", ev, null, null, "fix the template or parameters the "
                + "failure names and update the stack; changes made outside the stack drift from it", 1));
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

    /** The container definition of exactly this name, or null (never another container in its place). */
    private static ContainerDefinition container(TaskDefinition td, String name) {
        if (td == null || name == null) {
            return null;
        }
        return td.containerDefinitions().stream().filter(d -> name.equals(d.name())).findFirst().orElse(null);
    }

    // ---- the checks that only the troubleshooter runs -------------------------------------------------------

    /** An ECR image URI: registry account, region, repository, tag, digest. */
    static final Pattern ECR_IMAGE = Pattern.compile(
            "^(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$");

    /**
     * Whether each ECR image of the task definition exists (ECR DescribeImages by tag or digest): status
     * {@code exists}, {@code missing_tag}, {@code missing_repository}, or {@code not_checked} for images of other
     * registries, accounts or regions (the credentials are for this account and region).
     */
    ArrayNode ecrImages(AwsTarget t, TaskDefinition td) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ContainerDefinition d : td.containerDefinitions()) {
            Matcher m = d.image() == null ? null : ECR_IMAGE.matcher(d.image());
            ObjectNode n = out.addObject().put("container", d.name()).put("image", d.image());
            if (m == null || !m.matches() || !m.group(1).equals(t.account().accountId()) || !m.group(2).equals(t.region())) {
                n.put("status", "not_checked");
                continue;
            }
            String repo = m.group(3);
            ImageIdentifier id = m.group(5) != null ? ImageIdentifier.builder().imageDigest(m.group(5)).build()
                    : ImageIdentifier.builder().imageTag(m.group(4) == null ? "latest" : m.group(4)).build();
            String status = t.call(AwsAction.ECR_DESCRIBE_IMAGES, "image " + d.image(), () -> {
                try {
                    t.ecr().describeImages(b -> b.registryId(m.group(1)).repositoryName(repo).imageIds(id));
                    return "exists";
                } catch (ImageNotFoundException e) {
                    return "missing_tag";
                } catch (RepositoryNotFoundException e) {
                    return "missing_repository";
                }
            });
            n.put("status", status);
        }
        return out;
    }

    /** The CloudFormation stack that manages a service ({@code aws:cloudformation:stack-name} tag), or null. */
    static String stackName(Service s) {
        return s.tags().stream().filter(tag -> "aws:cloudformation:stack-name".equals(tag.key()))
                .map(software.amazon.awssdk.services.ecs.model.Tag::value).findFirst().orElse(null);
    }

    /** The stack's events of the last day, newest first (first page of DescribeStackEvents, at most 20). */
    ObjectNode stackEvents(AwsTarget t, String stack, Instant now) {
        List<StackEvent> events = t.call(AwsAction.CLOUDFORMATION_DESCRIBE_STACK_EVENTS, "stack " + stack,
                () -> t.cloudFormation().describeStackEvents(b -> b.stackName(stack))).stackEvents();
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("stack", stack);
        ArrayNode arr = out.putArray("events");
        events.stream().filter(e -> e.timestamp() == null || e.timestamp().isAfter(now.minus(Duration.ofDays(1))))
                .sorted(Comparator.comparing((StackEvent e) -> e.timestamp() == null ? Instant.EPOCH : e.timestamp())
                        .reversed())
                .limit(20).forEach(e -> arr.addObject().put("at", Text.iso(e.timestamp()))
                        .put("resource", e.logicalResourceId()).put("type", e.resourceType())
                        .put("status", e.resourceStatusAsString()).put("reason", e.resourceStatusReason()));
        return out;
    }

    /**
     * The cluster-wide stopped-task view: the newest 100 stopped tasks of the cluster (ListTasks without a
     * service + DescribeTasks), classified; per failure class, how many belong to other services and which.
     */
    ObjectNode clusterStopped(AwsTarget t, String cluster, String serviceName, Instant now) {
        List<String> arns = t.call(AwsAction.ECS_LIST_TASKS, "stopped tasks of cluster " + cluster,
                () -> t.ecs().listTasks(b -> b.cluster(cluster).desiredStatus(DesiredStatus.STOPPED).maxResults(100)))
                .taskArns();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode classes = out.putObject("classes");
        if (arns.isEmpty()) {
            return out;
        }
        List<Task> all = t.call(AwsAction.ECS_DESCRIBE_TASKS, "stopped tasks of cluster " + cluster,
                () -> t.ecs().describeTasks(b -> b.cluster(cluster).tasks(arns))).tasks();
        for (Task task : all) {
            String group = task.group() == null ? "" : task.group();
            if (group.equals("service:" + serviceName) || task.stoppedAt() != null
                    && task.stoppedAt().isBefore(now.minus(Duration.ofHours(6)))) {
                continue;
            }
            EcsTaskTools.Classified c = EcsTaskTools.classify(task.stopCodeAsString(), task.stoppedReason(),
                    task.containers().stream().map(x -> new EcsTaskTools.ContainerStop(x.name(), x.image(), x.exitCode(),
                            x.reason())).toList());
            if (c.type().normal) {
                continue;
            }
            ObjectNode n = classes.has(c.type().label()) ? (ObjectNode) classes.get(c.type().label())
                    : classes.putObject(c.type().label()).put("tasks", 0);
            n.put("tasks", n.get("tasks").asInt() + 1);
            ArrayNode services = n.has("services") ? (ArrayNode) n.get("services") : n.putArray("services");
            String name = group.startsWith("service:") ? group.substring("service:".length()) : group;
            if (services.valueStream().noneMatch(v -> v.asString().equals(name))) {
                services.add(name);
            }
        }
        return out;
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
            finding.set("category", JsonSchemas.type("string", "out_of_memory, image_pull, cannot_start_container, "
                    + "host_problem, eni_provisioning, resource_initialization, iam_role, launch_failed, "
                    + "elb_health_check, container_health_check, container_exit, spot_interruption, deployment_failed, "
                    + "cloudformation, cannot_place_task, unhealthy_targets, capacity, cpu_saturation, memory_pressure, "
                    + "http_5xx, latency, log_errors, network, check_failed, healthy"));
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
                            + "task-definition, ECR image, log, metric, network (with route tables / NAT / VPC endpoints "
                            + "when pulls or secret fetches time out), CloudFormation stack and cluster-wide stopped-task "
                            + "checks (each failing alone) and returns ranked findings "
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
