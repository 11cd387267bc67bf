package io.opsmcp.tools.aws.ecs.troubleshoot;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Text;
import io.opsmcp.tools.aws.ecs.network.NetworkCheck;
import io.opsmcp.tools.aws.ecs.network.NetworkReport;
import io.opsmcp.tools.aws.ecs.services.ServiceEvents.EventClass;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth.DeploymentState;
import io.opsmcp.tools.aws.ecs.services.ServiceHealthCheck;
import io.opsmcp.tools.aws.ecs.tasks.StoppedTasks;
import io.opsmcp.tools.aws.ecs.tasks.StoppedTasks.FailureClass;
import io.opsmcp.tools.aws.ecs.tasks.TaskFailures;
import io.opsmcp.tools.aws.ecs.troubleshoot.Finding.Severity;
import io.opsmcp.tools.aws.logs.LogScan;
import io.opsmcp.tools.aws.logs.LogScanner;
import io.opsmcp.tools.aws.logs.LogScanner.Level;
import io.opsmcp.tools.aws.metrics.MetricsReader;
import io.opsmcp.tools.aws.metrics.ServiceMetrics;
import io.opsmcp.tools.aws.metrics.ServiceMetrics.Stat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The diagnosis behind {@code ecs_troubleshoot}: runs the service health, stopped-task, task-definition, ECR image,
 * log, metric, network, CloudFormation and cluster-wide stopped-task checks over one per-call snapshot and turns
 * what they found (typed results: {@link ServiceHealth}, {@link TaskFailures}, {@link LogScan},
 * {@link ServiceMetrics}, {@link NetworkReport}) into ranked findings, each with evidence and, where a tool can fix
 * it, the remediation tool and its arguments. A check that fails (a missing IAM permission, an unexpected answer)
 * becomes an informational {@code check_failed} finding; only a missing service stops the whole call. A remediation
 * that changes a container targets the container the failure is attributed to, and a memory change needs
 * out-of-memory evidence (the OutOfMemoryError reason, MemoryUtilization ≥ 95 %, or out-of-memory log lines), never
 * an exit code alone.
 */
public final class Troubleshooter {

    static final String LOG_FILTER = "?ERROR ?Error ?Exception ?FATAL ?OutOfMemoryError ?WARN";
    static final int STEPS = 6;
    /** MemoryUtilization (max over the last hour) from which an exit 137 counts as out of memory. */
    static final double MEMORY_EVIDENCE_PERCENT = 95;
    /** 5xx responses of the last hour as a share of RequestCount from which they are a finding. */
    static final double ERROR_RATE = 0.01;
    /** Without a RequestCount, this many 5xx in an hour are a finding. */
    static final long ERRORS_WITHOUT_RATE = 50;
    /** An ECR image URI: registry account, region, repository, tag, digest. */
    static final Pattern ECR_IMAGE = Pattern.compile(
            "^(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$");

    private final LogScanner logs;

    public Troubleshooter(LogScanner logs) {
        this.logs = logs;
    }

    /** Whether an ECR image of the task definition exists. */
    enum ImageStatus {
        EXISTS,
        MISSING_TAG,
        MISSING_REPOSITORY,
        NOT_CHECKED
    }

    /** One container image checked against ECR. */
    record ImageCheck(String container, String image, ImageStatus status) {}

    /** One event of the CloudFormation stack that manages the service. */
    record StackChange(Instant at, String resource, String type, String status, String reason) {}

    /** The stack that manages the service and its events of the last day, newest first. */
    record StackEvents(String stack, List<StackChange> events) {}

    /** Stopped tasks of other services of the cluster that failed the same way. */
    record ClusterClass(int tasks, List<String> services) {}

    /**
     * Runs every check and ranks the findings. All checks read one per-call snapshot ({@link AwsTarget#snapshot}):
     * the service, its task definition and target groups are fetched once. Every check and every rule family fails
     * alone, as a {@code check_failed} finding; only a missing service stops the call.
     */
    public Troubleshooting run(AwsTarget target, String cluster, String service, ToolContext ctx) {
        AwsTarget t = target.snapshot();
        Instant now = Instant.now();
        ToolContext quiet = ctx.withProgress(null);
        Map<String, String> checks = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();

        ctx.progress().report(0, (double) STEPS, "checking service health");
        Service svc = Ecs.service(t, cluster, service);
        ServiceHealth health =
                run("health", checks, findings, () -> ServiceHealthCheck.read(t, cluster, service, 100, quiet, now));
        ctx.progress().report(1, (double) STEPS, "checking stopped tasks");
        TaskFailures failures = run(
                "task_failures",
                checks,
                findings,
                () -> StoppedTasks.read(t, cluster, service, now.minus(Duration.ofHours(6)), 100, quiet));
        ctx.progress().report(2, (double) STEPS, "reading the task definition");
        TaskDefinition td = run("task_definition", checks, findings, () -> Ecs.taskDefinitionOf(t, svc));
        List<ImageCheck> images = td == null ? null : run("ecr_images", checks, findings, () -> ecrImages(t, td));
        ctx.progress().report(3, (double) STEPS, "reading logs");
        LogScan logScan = td == null
                ? null
                : run(
                        "logs",
                        checks,
                        findings,
                        () -> logs.scan(
                                t,
                                new LogScanner.Query(
                                        cluster,
                                        service,
                                        null,
                                        LOG_FILTER,
                                        now.minus(Duration.ofHours(1)),
                                        now,
                                        20,
                                        true),
                                quiet));
        ctx.progress().report(4, (double) STEPS, "reading metrics");
        ServiceMetrics metricData =
                run("metrics", checks, findings, () -> MetricsReader.read(t, cluster, service, 60, quiet));
        ctx.progress().report(5, (double) STEPS, "checking the network");
        boolean timeouts = failures != null && timeouts(failures);
        NetworkReport net = td == null
                ? null
                : run("network", checks, findings, () -> NetworkCheck.read(t, cluster, service, timeouts, quiet));
        StackEvents stack = stackName(svc) == null
                ? null
                : run("cloudformation", checks, findings, () -> stackEvents(t, stackName(svc), now));
        Map<FailureClass, ClusterClass> clusterView = failures == null || !failures.hasFailures()
                ? null
                : run(
                        "cluster_stopped_tasks",
                        checks,
                        findings,
                        () -> clusterStopped(t, cluster, svc.serviceName(), now));
        ctx.progress().report(6, (double) STEPS, "ranking findings");

        Ctx c = new Ctx(
                now,
                cluster,
                svc.serviceName(),
                t.account().name(),
                t.region(),
                svc,
                health,
                failures,
                td,
                logScan,
                metricData,
                net,
                images,
                stack,
                clusterView);
        rules("task findings", findings, () -> taskFindings(c));
        rules("image findings", findings, () -> imageFindings(c, findings));
        rules("health findings", findings, () -> healthFindings(c));
        rules("metric findings", findings, () -> metricFindings(c));
        rules("log findings", findings, () -> logFindings(c));
        rules("network findings", findings, () -> networkFindings(c, findings));
        rules("cloudformation findings", findings, () -> stackFindings(c));
        if (health != null
                && findings.stream().noneMatch(f -> f.severity().atLeast(Severity.MEDIUM))
                && health.verdict() == ServiceHealth.Verdict.HEALTHY) {
            findings.add(new Finding(
                    Severity.INFO,
                    "healthy",
                    "service is healthy: running " + c.running() + " of " + c.desired()
                            + ", no failed deployment, no task failures",
                    List.of(health.verdictReasons().get(0)),
                    null,
                    null,
                    null,
                    Long.MAX_VALUE));
        }
        findings.sort(Comparator.comparing(Finding::severity).thenComparing(f -> -f.weight()));
        return new Troubleshooting(
                AccountRegion.of(target),
                AwsTool.shortName(cluster),
                c.service(),
                health == null ? "unknown" : health.verdict().wire(),
                Ecs.familyRevision(Ecs.currentTaskDefinition(svc)),
                svc.deploymentController() == null
                        ? "ECS"
                        : svc.deploymentController().typeAsString(),
                checks,
                findings);
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
        findings.add(new Finding(
                Severity.INFO,
                "check_failed",
                "the " + name.replace('_', ' ') + " check could not run",
                List.of(message),
                null,
                null,
                null,
                0));
    }

    /** Runs one rule family; a failure loses only its findings. */
    private static void rules(String name, List<Finding> findings, Check<List<Finding>> rules) {
        try {
            findings.addAll(rules.run());
        } catch (RuntimeException e) {
            findings.add(new Finding(
                    Severity.INFO,
                    "check_failed",
                    "the " + name + " could not be evaluated",
                    List.of("internal error (" + e.getClass().getSimpleName() + ")"),
                    null,
                    null,
                    null,
                    0));
        }
    }

    /** Everything the rules look at. Members other than the service may be null when their check failed. */
    private record Ctx(
            Instant now,
            String cluster,
            String service,
            String account,
            String region,
            Service svc,
            ServiceHealth health,
            TaskFailures failures,
            TaskDefinition td,
            LogScan logs,
            ServiceMetrics metrics,
            NetworkReport network,
            List<ImageCheck> images,
            StackEvents stack,
            Map<FailureClass, ClusterClass> clusterView) {

        boolean steady() {
            return health != null && health.verdict() == ServiceHealth.Verdict.HEALTHY;
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

        /** The arguments every remediation tool takes: account, region, cluster, service. */
        ObjectNode args() {
            ObjectNode a = JsonNodeFactory.instance.objectNode();
            a.put("account", account);
            a.put("region", region);
            a.put("cluster", AwsTool.shortName(cluster));
            a.put("service", service);
            return a;
        }

        Double metric(String id, Stat stat) {
            return metrics == null ? null : metrics.value(id, stat);
        }

        List<String> logSignatures(String... words) {
            List<String> out = new ArrayList<>();
            if (logs != null) {
                for (LogScan.SignatureCount s : logs.topSignatures()) {
                    List<String> w = Text.words(s.signature());
                    if (words.length == 0 || Arrays.stream(words).anyMatch(x -> Text.phrase(w, x))) {
                        out.add("log: " + s.count() + "x " + Text.cut(s.example(), 200));
                    }
                }
            }
            return out;
        }

        /** Memory evidence beyond an exit code: MemoryUtilization near 100 % or out-of-memory log lines. */
        List<String> memoryEvidence() {
            List<String> ev = new ArrayList<>();
            Double memMax = metric("memory_max", Stat.MAX);
            if (memMax != null && memMax >= MEMORY_EVIDENCE_PERCENT) {
                ev.add("MemoryUtilization max " + memMax + "% (avg " + metric("memory_avg", Stat.AVG)
                        + "%) over the last hour");
            }
            ev.addAll(logSignatures("outofmemoryerror", "out of memory", "oomkilled", "cannot allocate memory"));
            return ev;
        }

        List<String> networkIssues(NetworkReport.Kind kind) {
            return network == null
                    ? List.of()
                    : network.issues(kind).stream()
                            .map(i -> "network: " + i.message())
                            .toList();
        }

        /** "cluster-wide: …" when stopped tasks of other services share the class. */
        List<String> clusterWide(FailureClass type) {
            ClusterClass n = clusterView == null ? null : clusterView.get(type);
            if (n == null) {
                return List.of();
            }
            ArrayNode names = JsonNodeFactory.instance.arrayNode();
            n.services().forEach(names::add);
            return List.of("cluster-wide: " + n.tasks() + " stopped task(s) of "
                    + n.services().size()
                    + " other service(s) " + names + " failed the same way: look for a cluster- or "
                    + "VPC-level cause");
        }
    }

    /** Whether image pulls, secret fetches or registry auth time out or cannot resolve: worth the egress check. */
    private static boolean timeouts(TaskFailures failures) {
        for (TaskFailures.ClassSummary cls : failures.classes()) {
            if (cls.type() != FailureClass.IMAGE_PULL && cls.type() != FailureClass.RESOURCE_INITIALIZATION) {
                continue;
            }
            for (TaskFailures.StoppedTask ex : cls.examples()) {
                List<String> w = Text.words(ex.detail() == null ? "" : ex.detail());
                if (Text.phrase(
                        w,
                        "i o timeout",
                        "context deadline exceeded",
                        "no such host",
                        "request canceled",
                        "connection timed out",
                        "timed out",
                        "timeout")) {
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
        for (TaskFailures.ClassSummary cls : c.failures().classes()) {
            if (cls.type().normal()) {
                continue;
            }
            FailureClass type = cls.type();
            int count = cls.count();
            int onCurrent = cls.onCurrentTaskDefinition();
            TaskFailures.StoppedTask newest = cls.examples().get(0);
            List<String> evidence = new ArrayList<>();
            evidence.add(count + " task(s) stopped since "
                    + c.failures().since().toString().replaceFirst("\\.\\d+Z$", "Z")
                    + " (" + onCurrent + " on the current task definition "
                    + orElse(c.failures().currentTaskDefinition(), "-") + "); newest "
                    + orElse(newest.taskId(), "") + " at " + orElse(Text.iso(newest.stoppedAt()), "-")
                    + ": " + orElse(newest.detail(), ""));
            // failures only on an earlier revision, or none for an hour, while the service is steady now, are
            // history: reported, never ranked above the service's present state, and never remediated
            Instant newestAt = newest.stoppedAt();
            boolean old = newestAt != null && newestAt.isBefore(c.now().minus(ServiceHealthCheck.RECENT));
            boolean resolved = (onCurrent == 0 || old) && c.steady();
            String suffix = !resolved
                    ? ""
                    : onCurrent == 0
                            ? " (only on an earlier task definition; the current one is steady)"
                            : " (none for over an hour; the service is steady now)";
            Severity history = Severity.INFO;
            String container = newest.failingContainer();
            switch (type) {
                case OUT_OF_MEMORY ->
                    out.add(memoryFinding(
                            c,
                            container,
                            evidence,
                            count,
                            resolved,
                            suffix,
                            "tasks are killed for running out of memory (OutOfMemoryError)"));
                case ESSENTIAL_CONTAINER_EXITED -> {
                    int exit = newest.failingExitCode() == null ? -1 : newest.failingExitCode();
                    List<String> mem = exit == 137 ? c.memoryEvidence() : List.of();
                    if (!mem.isEmpty()) {
                        evidence.add("exit 137 is SIGKILL; with this memory evidence it is the OOM killer:");
                        evidence.addAll(mem);
                        out.add(memoryFinding(
                                c,
                                container,
                                evidence,
                                count,
                                resolved,
                                suffix,
                                "container " + container + " is killed (exit 137) while memory is exhausted"));
                        break;
                    }
                    if (exit == 137) {
                        evidence.add("exit 137 = SIGKILL with no out-of-memory reason and no memory evidence: the OOM "
                                + "killer, or the kill after stopTimeout when the container ignores SIGTERM");
                    }
                    evidence.addAll(c.logSignatures().stream().limit(3).toList());
                    out.add(new Finding(
                            resolved ? history : Severity.HIGH,
                            "container_exit",
                            "essential container " + (container == null ? "" : container + " ") + "exits"
                                    + (exit >= 0 ? " with code " + exit : "") + suffix,
                            evidence,
                            null,
                            null,
                            "the application fails at run time; read the errors with ecs_logs"
                                    + (container == null ? "" : " (container " + container + ")"),
                            count));
                }
                case IMAGE_PULL -> {
                    DeploymentState primary =
                            c.health() == null ? null : c.health().primary().orElse(null);
                    if (primary != null) {
                        evidence.add("deployment " + orElse(primary.taskDefinition(), "") + " rollout "
                                + orElse(primary.rolloutState(), "-") + ": "
                                + orElse(primary.rolloutStateReason(), "-"));
                    }
                    evidence.addAll(missingImages(c));
                    evidence.addAll(c.networkIssues(NetworkReport.Kind.EGRESS));
                    boolean rollback = !resolved
                            && c.ecsController()
                            && c.svc().deployments().size() > 1;
                    out.add(new Finding(
                            resolved ? history : Severity.CRITICAL,
                            "image_pull",
                            "tasks cannot pull their container image" + suffix,
                            evidence,
                            rollback ? "ecs_rollback_service" : null,
                            rollback ? c.args() : null,
                            (rollback
                                            ? "roll back to the previous task definition revision (whose image pulls), then "
                                            : "")
                                    + "fix the image tag, the registry access of the execution role or the "
                                    + "network path to the registry",
                            count));
                }
                case CANNOT_START_CONTAINER ->
                    out.add(new Finding(
                            resolved ? history : Severity.CRITICAL,
                            "cannot_start_container",
                            "the container runtime cannot start container " + (container == null ? "" : container + " ")
                                    + suffix,
                            evidence,
                            null,
                            null,
                            "the image's entrypoint/command cannot run (missing executable, permissions, architecture, "
                                    + "bad mount): check the image and the task definition's command",
                            count));
                case HOST_PROBLEM ->
                    out.add(new Finding(
                            resolved ? history : Severity.HIGH,
                            "host_problem",
                            "the container runtime on the host does not respond (inspect/start/stop timeouts)" + suffix,
                            with(evidence, c.clusterWide(type)),
                            null,
                            null,
                            "a host or runtime problem, not the application: on EC2 drain and replace the instance; "
                                    + "on Fargate the task is retried elsewhere, persistent cases go to AWS support",
                            count));
                case ENI_PROVISIONING ->
                    out.add(new Finding(
                            resolved ? history : Severity.HIGH,
                            "eni_provisioning",
                            "the task's network interface is not provisioned in time" + suffix,
                            with(evidence, c.clusterWide(type)),
                            resolved ? null : "ecs_network",
                            resolved ? null : c.args(),
                            "check the subnets' free addresses and ENI limits (trunking on EC2); on EC2 an instance that "
                                    + "keeps failing ENI attachment should be replaced",
                            count));
                case RESOURCE_INITIALIZATION ->
                    out.add(new Finding(
                            resolved ? history : Severity.CRITICAL,
                            "resource_initialization",
                            "tasks fail to initialise (secrets, log driver, volumes)" + suffix,
                            with(with(evidence, c.networkIssues(NetworkReport.Kind.EGRESS)), c.clusterWide(type)),
                            null,
                            null,
                            "check the execution role's access to the secrets and log group, the volumes, and the "
                                    + "subnets' route to the AWS endpoints (ecs_network)",
                            count));
                case ELB_HEALTH_CHECK -> {
                    ObjectNode args = c.args();
                    int grace = c.svc().healthCheckGracePeriodSeconds() == null
                            ? 0
                            : c.svc().healthCheckGracePeriodSeconds();
                    args.put("seconds", Math.max(120, grace * 2));
                    out.add(new Finding(
                            resolved ? history : Severity.HIGH,
                            "elb_health_check",
                            "tasks are stopped for failing load balancer health checks" + suffix,
                            with(evidence, c.networkIssues(NetworkReport.Kind.LB_INGRESS)),
                            "ecs_update_health_check_grace_period",
                            args,
                            "if the application needs time to start, "
                                    + "a longer grace period stops ECS from killing it before it is ready (now " + grace
                                    + " s)",
                            count));
                }
                case CONTAINER_HEALTH_CHECK ->
                    out.add(new Finding(
                            resolved ? history : Severity.HIGH,
                            "container_health_check",
                            "tasks fail their container health check" + suffix,
                            evidence,
                            null,
                            null,
                            "check the health check command and start period (ecs_task_definition) and the logs",
                            count));
                case SPOT_INTERRUPTION -> {
                    boolean settled = c.steady() || c.running() >= c.desired();
                    out.add(new Finding(
                            settled ? Severity.INFO : Severity.MEDIUM,
                            "spot_interruption",
                            settled
                                    ? "Spot tasks were interrupted and replaced (normal for Fargate Spot / Spot capacity)"
                                    : "Spot tasks were interrupted and not all are back (running " + c.running()
                                            + " of " + c.desired() + ")",
                            evidence,
                            null,
                            null,
                            settled
                                    ? null
                                    : "Spot capacity is short: add an on-demand capacity provider base or "
                                            + "spread across more instance types / zones",
                            count));
                }
                default ->
                    out.add(new Finding(
                            resolved ? history : Severity.MEDIUM,
                            type.label(),
                            type.description() + suffix,
                            evidence,
                            null,
                            null,
                            null,
                            count));
            }
        }
        return out;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
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
    private static Finding memoryFinding(
            Ctx c, String container, List<String> evidence, int count, boolean resolved, String suffix, String title) {
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
        Integer current = def == null
                ? null
                : def.memory() != null
                        ? def.memory()
                        : def.memoryReservation() != null
                                ? def.memoryReservation()
                                : c.td().memory() != null && c.td().memory().matches("\\d+")
                                        ? Integer.valueOf(c.td().memory())
                                        : null;
        ObjectNode args = c.args();
        String tool = null;
        String why = "give the container more memory, or find the leak (heap dumps, ecs_logs)";
        if (!c.ecsController()) {
            why = "give container " + container
                    + " more memory in a new task definition revision and deploy it through " + "the service's "
                    + c.svc().deploymentController().typeAsString() + " deployment controller";
        } else if (def != null && current != null && !resolved) {
            args.put("container", def.name());
            args.put("memory", suggestMemory(current));
            tool = "ecs_update_task_resources";
            why = "container " + def.name() + " is killed at its " + current + " MiB; double it (new task definition "
                    + "revision, then a deployment), then re-run ecs_troubleshoot to verify";
        }
        return new Finding(
                resolved ? Severity.INFO : Severity.CRITICAL,
                "out_of_memory",
                title + suffix,
                evidence,
                tool,
                tool == null ? null : args,
                why,
                count);
    }

    /** Missing ECR images of the current task definition as evidence lines. */
    private static List<String> missingImages(Ctx c) {
        List<String> out = new ArrayList<>();
        if (c.images() != null) {
            for (ImageCheck i : c.images()) {
                if (i.status() == ImageStatus.MISSING_TAG || i.status() == ImageStatus.MISSING_REPOSITORY) {
                    out.add("ECR: image " + i.image() + " of container " + i.container()
                            + (i.status() == ImageStatus.MISSING_REPOSITORY
                                    ? ": the repository does not exist"
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
        return List.of(new Finding(
                Severity.CRITICAL,
                "image_pull",
                "the task definition names an image that is not " + "in ECR: new tasks will fail to pull it",
                missing,
                rollback ? "ecs_rollback_service" : null,
                rollback ? c.args() : null,
                "push the image (or fix the tag in the task definition)"
                        + (rollback ? "; rolling back returns to the revision whose image exists" : ""),
                missing.size()));
    }

    private static List<Finding> healthFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        ServiceHealth h = c.health();
        if (h == null) {
            return out;
        }
        DeploymentState primary = h.primary().orElse(null);
        if (primary != null && "FAILED".equals(primary.rolloutState())) {
            int failed = primary.failedTasks() == null ? 0 : primary.failedTasks();
            out.add(new Finding(
                    Severity.HIGH,
                    "deployment_failed",
                    "the current deployment (" + orElse(primary.taskDefinition(), "") + ") failed",
                    List.of(
                            "rollout state FAILED: " + orElse(primary.rolloutStateReason(), "-"),
                            failed + " failed task(s) in this deployment"),
                    "ecs_rollback_service",
                    c.args(),
                    "return to the previous revision while the failure is fixed",
                    failed));
        }
        for (ServiceHealth.EventGroup g : h.events().groups()) {
            // only what the service does now: events of the last hour after its newest steady state
            int recent = g.recent();
            if (recent == 0) {
                continue;
            }
            List<String> ev = List.of(recent + " event(s) in the last hour (" + g.count() + " in all), latest "
                    + orElse(Text.iso(g.lastAt()), "") + ": " + orElse(g.latestMessage(), ""));
            if (g.type() == EventClass.CANNOT_PLACE) {
                String reason = orElse(g.reason(), "other");
                out.add(new Finding(
                        Severity.HIGH,
                        "cannot_place_task",
                        "ECS cannot place tasks (" + reason + ")",
                        ev,
                        "eni".equals(reason) ? "ecs_network" : null,
                        "eni".equals(reason) ? c.args() : null,
                        "memory".equals(reason) || "cpu".equals(reason) || "capacity".equals(reason)
                                ? "add capacity to the cluster or lower the task's reservation"
                                : "ports".equals(reason)
                                        ? "use dynamic host ports (hostPort 0) or awsvpc, or add instances"
                                        : "attribute".equals(reason)
                                                ? "check the placement constraints and the instances' attributes"
                                                : "check the subnets' free addresses and security groups",
                        recent));
            } else if (g.type() == EventClass.LAUNCH_FAILED) {
                boolean iam = "iam_role".equals(g.reason());
                out.add(new Finding(
                        c.running() == 0 ? Severity.CRITICAL : Severity.HIGH,
                        iam ? "iam_role" : "launch_failed",
                        iam
                                ? "ECS cannot assume the task's IAM role, so tasks do not launch"
                                : "ECS fails to launch tasks",
                        ev,
                        null,
                        null,
                        iam
                                ? "fix the role's trust policy (principal ecs-tasks.amazonaws.com) and "
                                        + "the caller's iam:PassRole on it"
                                : "read the event message for the cause",
                        recent));
            }
        }
        int unhealthy = h.unhealthyTargets();
        List<String> evidence = new ArrayList<>();
        for (ServiceHealth.TargetGroupHealth lb : h.loadBalancers()) {
            for (ServiceHealth.TargetState target : lb.targets()) {
                if ("unhealthy".equals(target.state())) {
                    evidence.add("target " + orElse(target.id(), "") + ":" + (target.port() == null ? 0 : target.port())
                            + " " + orElse(target.reason(), "-") + " — " + orElse(target.description(), "-"));
                }
            }
        }
        if (unhealthy > 0) {
            out.add(new Finding(
                    Severity.HIGH,
                    "unhealthy_targets",
                    unhealthy + " target(s) unhealthy in the load " + "balancer",
                    with(evidence, c.networkIssues(NetworkReport.Kind.LB_INGRESS)),
                    "ecs_logs",
                    logArgs(c),
                    "see why the application fails its health check",
                    unhealthy));
        }
        int desired = h.desired() == null ? 0 : h.desired();
        int running = h.running() == null ? 0 : h.running();
        if (running < desired && out.stream().noneMatch(f -> f.severity().atLeast(Severity.HIGH))) {
            ArrayNode reasons = JsonNodeFactory.instance.arrayNode();
            h.verdictReasons().forEach(reasons::add);
            out.add(new Finding(
                    Severity.MEDIUM,
                    "capacity",
                    "running " + running + " of desired " + desired + " tasks",
                    List.of(reasons.toString()),
                    null,
                    null,
                    null,
                    desired - running));
        }
        return out;
    }

    private static List<Finding> metricFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        Double cpuMax = c.metric("cpu_max", Stat.MAX);
        if (cpuMax != null && cpuMax >= 90) {
            ObjectNode args = c.args();
            args.put("desired_count", c.desired() + 1);
            out.add(new Finding(
                    Severity.MEDIUM,
                    "cpu_saturation",
                    "CPU reached " + cpuMax + "% in the last hour",
                    List.of("CPUUtilization max " + cpuMax + "%, avg " + c.metric("cpu_avg", Stat.AVG) + "%"),
                    "ecs_scale_service",
                    args,
                    "add a task to spread the load (or raise cpu with " + "ecs_update_task_resources)",
                    cpuMax.longValue()));
        }
        Double memMax = c.metric("memory_max", Stat.MAX);
        boolean oom = c.failures() != null && c.failures().has(FailureClass.OUT_OF_MEMORY);
        if (memMax != null && memMax >= 90 && !oom) {
            out.add(new Finding(
                    Severity.MEDIUM,
                    "memory_pressure",
                    "memory reached " + memMax + "% in the last hour",
                    List.of("MemoryUtilization max " + memMax + "%, avg " + c.metric("memory_avg", Stat.AVG) + "%"),
                    null,
                    null,
                    "close to the limit: tasks will be killed at 100%",
                    memMax.longValue()));
        }
        Double target5xx = c.metric("target_5xx", Stat.SUM);
        Double elb5xx = c.metric("elb_5xx", Stat.SUM);
        Double requests = c.metric("requests", Stat.SUM);
        double errors = (target5xx == null ? 0 : target5xx) + (elb5xx == null ? 0 : elb5xx);
        double rate =
                requests == null || requests <= 0 ? Double.NaN : errors / (requests + (elb5xx == null ? 0 : elb5xx));
        boolean fires = Double.isNaN(rate) ? errors >= ERRORS_WITHOUT_RATE : rate >= ERROR_RATE && errors >= 5;
        if (fires) {
            String share = Double.isNaN(rate)
                    ? ""
                    : String.format(Locale.ROOT, " (%.1f %% of %d requests)", rate * 100, requests.longValue());
            out.add(new Finding(
                    !Double.isNaN(rate) && rate >= 0.05 ? Severity.HIGH : Severity.MEDIUM,
                    "http_5xx",
                    (long) errors + " HTTP 5xx responses in the last hour" + share,
                    List.of("target 5xx " + (target5xx == null ? 0 : target5xx.longValue()) + ", load balancer 5xx "
                            + (elb5xx == null ? 0 : elb5xx.longValue()) + ", requests "
                            + (requests == null ? "unknown" : requests.longValue())),
                    "ecs_logs",
                    logArgs(c),
                    "users see errors; the logs show which requests fail",
                    (long) errors));
        }
        Double latency = c.metric("target_response_time", Stat.AVG);
        if (latency != null && latency > 1.0) {
            out.add(new Finding(
                    Severity.LOW,
                    "latency",
                    "average response time " + latency + " s",
                    List.of("TargetResponseTime avg " + latency + " s, max "
                            + c.metric("target_response_time", Stat.MAX)),
                    null,
                    null,
                    null,
                    (long) (latency * 1000)));
        }
        return out;
    }

    private static List<Finding> logFindings(Ctx c) {
        List<Finding> out = new ArrayList<>();
        if (c.logs() == null) {
            return out;
        }
        long errors = c.logs().count(Level.ERROR);
        long warnings = c.logs().count(Level.WARN);
        if (errors + warnings == 0) {
            return out;
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(errors + " error and " + warnings + " warning line(s) in the last hour in "
                + c.logs().logGroup());
        evidence.addAll(c.logSignatures().stream().limit(3).toList());
        out.add(new Finding(
                errors > 10 ? Severity.MEDIUM : Severity.LOW,
                "log_errors",
                errors > 0 ? "the application logs errors" : "the application logs warnings",
                evidence,
                "ecs_logs",
                logArgs(c),
                "read the newest errors",
                errors));
        return out;
    }

    private static List<Finding> networkFindings(Ctx c, List<Finding> sofar) {
        List<Finding> out = new ArrayList<>();
        if (c.network() == null) {
            return out;
        }
        // load balancer health checks failing while no security group lets the load balancer in: that is the cause
        boolean lbFailing = sofar.stream()
                        .anyMatch(f ->
                                "elb_health_check".equals(f.category()) || "unhealthy_targets".equals(f.category()))
                || c.health() != null && c.health().unhealthyTargets() > 0;
        for (NetworkReport.Issue issue : c.network().issues()) {
            Severity s = issue.kind() == NetworkReport.Kind.LB_INGRESS && lbFailing
                    ? Severity.CRITICAL
                    : issue.severity() == NetworkReport.Severity.HIGH ? Severity.HIGH : Severity.MEDIUM;
            out.add(new Finding(
                    s,
                    "network",
                    issue.message(),
                    List.of(issue.message()),
                    "ecs_network",
                    c.args(),
                    "fix the security group, route table, subnet or target group configuration",
                    1));
        }
        return out;
    }

    /** A failed CloudFormation operation on the stack that manages the service, in the last day. */
    private static List<Finding> stackFindings(Ctx c) {
        if (c.stack() == null || c.stack().events().isEmpty()) {
            return List.of();
        }
        List<StackChange> events = c.stack().events();
        String newest = orElse(events.get(0).status(), "");
        List<String> failed = new ArrayList<>();
        for (StackChange e : events) {
            if (e.status() != null && e.status().endsWith("_FAILED") && e.reason() != null) {
                failed.add(orElse(Text.iso(e.at()), "") + " " + e.resource() + " " + e.status() + ": "
                        + Text.cut(e.reason(), 300));
            }
        }
        boolean broken = newest.endsWith("_FAILED") || newest.contains("ROLLBACK");
        if (!broken || failed.isEmpty()) {
            return List.of();
        }
        List<String> ev = new ArrayList<>();
        ev.add("stack " + c.stack().stack() + " manages the service; newest stack event "
                + events.get(0).resource() + " " + newest);
        ev.addAll(failed.stream().limit(3).toList());
        return List.of(new Finding(
                Severity.HIGH,
                "cloudformation",
                "the last CloudFormation update of stack " + c.stack().stack() + " failed",
                ev,
                null,
                null,
                "fix the template or parameters the "
                        + "failure names and update the stack; changes made outside the stack drift from it",
                1));
    }

    private static ObjectNode logArgs(Ctx c) {
        ObjectNode a = c.args();
        a.put("filter_pattern", "?ERROR ?Exception");
        a.put("since", "1h");
        return a;
    }

    /** The container definition of exactly this name, or null (never another container in its place). */
    private static ContainerDefinition container(TaskDefinition td, String name) {
        if (td == null || name == null) {
            return null;
        }
        return td.containerDefinitions().stream()
                .filter(d -> name.equals(d.name()))
                .findFirst()
                .orElse(null);
    }

    // ---- the checks that only the troubleshooter runs -------------------------------------------------------

    /**
     * Whether each ECR image of the task definition exists (ECR DescribeImages by tag or digest); images of other
     * registries, accounts or regions are not checked (the credentials are for this account and region).
     */
    static List<ImageCheck> ecrImages(AwsTarget t, TaskDefinition td) {
        List<ImageCheck> out = new ArrayList<>();
        for (ContainerDefinition d : td.containerDefinitions()) {
            Matcher m = d.image() == null ? null : ECR_IMAGE.matcher(d.image());
            if (m == null
                    || !m.matches()
                    || !m.group(1).equals(t.account().accountId())
                    || !m.group(2).equals(t.region())) {
                out.add(new ImageCheck(d.name(), d.image(), ImageStatus.NOT_CHECKED));
                continue;
            }
            String repo = m.group(3);
            ImageIdentifier id = m.group(5) != null
                    ? ImageIdentifier.builder().imageDigest(m.group(5)).build()
                    : ImageIdentifier.builder()
                            .imageTag(m.group(4) == null ? "latest" : m.group(4))
                            .build();
            ImageStatus status = t.call(AwsAction.ECR_DESCRIBE_IMAGES, "image " + d.image(), () -> {
                try {
                    t.ecr()
                            .describeImages(b -> b.registryId(m.group(1))
                                    .repositoryName(repo)
                                    .imageIds(id));
                    return ImageStatus.EXISTS;
                } catch (ImageNotFoundException e) {
                    return ImageStatus.MISSING_TAG;
                } catch (RepositoryNotFoundException e) {
                    return ImageStatus.MISSING_REPOSITORY;
                }
            });
            out.add(new ImageCheck(d.name(), d.image(), status));
        }
        return out;
    }

    /** The CloudFormation stack that manages a service ({@code aws:cloudformation:stack-name} tag), or null. */
    static String stackName(Service s) {
        return s.tags().stream()
                .filter(tag -> "aws:cloudformation:stack-name".equals(tag.key()))
                .map(software.amazon.awssdk.services.ecs.model.Tag::value)
                .findFirst()
                .orElse(null);
    }

    /** The stack's events of the last day, newest first (first page of DescribeStackEvents, at most 20). */
    static StackEvents stackEvents(AwsTarget t, String stack, Instant now) {
        List<StackEvent> events = t.call(
                        AwsAction.CLOUDFORMATION_DESCRIBE_STACK_EVENTS,
                        "stack " + stack,
                        () -> t.cloudFormation().describeStackEvents(b -> b.stackName(stack)))
                .stackEvents();
        return new StackEvents(
                stack,
                events.stream()
                        .filter(e -> e.timestamp() == null || e.timestamp().isAfter(now.minus(Duration.ofDays(1))))
                        .sorted(Comparator.comparing(
                                        (StackEvent e) -> e.timestamp() == null ? Instant.EPOCH : e.timestamp())
                                .reversed())
                        .limit(20)
                        .map(e -> new StackChange(
                                e.timestamp(),
                                e.logicalResourceId(),
                                e.resourceType(),
                                e.resourceStatusAsString(),
                                e.resourceStatusReason()))
                        .toList());
    }

    /**
     * The cluster-wide stopped-task view: the newest 100 stopped tasks of the cluster (ListTasks without a
     * service + DescribeTasks), classified; per failure class, how many belong to other services and which.
     */
    static Map<FailureClass, ClusterClass> clusterStopped(
            AwsTarget t, String cluster, String serviceName, Instant now) {
        List<String> arns = t.call(
                        AwsAction.ECS_LIST_TASKS,
                        "stopped tasks of cluster " + cluster,
                        () -> t.ecs()
                                .listTasks(b -> b.cluster(cluster)
                                        .desiredStatus(DesiredStatus.STOPPED)
                                        .maxResults(100)))
                .taskArns();
        Map<FailureClass, Integer> tasks = new EnumMap<>(FailureClass.class);
        Map<FailureClass, List<String>> services = new EnumMap<>(FailureClass.class);
        if (!arns.isEmpty()) {
            List<Task> all = t.call(
                            AwsAction.ECS_DESCRIBE_TASKS,
                            "stopped tasks of cluster " + cluster,
                            () -> t.ecs().describeTasks(b -> b.cluster(cluster).tasks(arns)))
                    .tasks();
            for (Task task : all) {
                String group = task.group() == null ? "" : task.group();
                if (group.equals("service:" + serviceName)
                        || task.stoppedAt() != null && task.stoppedAt().isBefore(now.minus(Duration.ofHours(6)))) {
                    continue;
                }
                StoppedTasks.Classified c = StoppedTasks.classify(
                        task.stopCodeAsString(),
                        task.stoppedReason(),
                        task.containers().stream()
                                .map(x -> new StoppedTasks.ContainerStop(x.name(), x.image(), x.exitCode(), x.reason()))
                                .toList());
                if (c.type().normal()) {
                    continue;
                }
                tasks.merge(c.type(), 1, Integer::sum);
                String name = group.startsWith("service:") ? group.substring("service:".length()) : group;
                List<String> names = services.computeIfAbsent(c.type(), k -> new ArrayList<>());
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        Map<FailureClass, ClusterClass> out = new EnumMap<>(FailureClass.class);
        tasks.forEach((type, n) -> out.put(type, new ClusterClass(n, List.copyOf(services.get(type)))));
        return out;
    }

    /** Twice the current memory, rounded up to a multiple of 256 MiB. */
    static int suggestMemory(int currentMiB) {
        int doubled = currentMiB * 2;
        return (doubled + 255) / 256 * 256;
    }
}
