package io.opsmcp.tools.aws.ecs.tasks;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Stopped ECS tasks: reading them ({@link #read}) and classifying why each stopped ({@link #classify}). The
 * classification follows the Amazon ECS Developer Guide, "Amazon ECS stopped tasks error messages" (stop codes
 * {@code TaskFailedToStart}, {@code EssentialContainerExited}, {@code UserInitiated},
 * {@code ServiceSchedulerInitiated}, {@code SpotInterruption}, {@code TerminationNotice}; reasons
 * {@code CannotPullContainerError}, {@code ResourceInitializationError}, {@code OutOfMemoryError}) and exit code
 * 137 = 128 + SIGKILL, which is what the kernel's OOM killer sends.
 */
public final class StoppedTasks {

    static final int DEFAULT_MAX_TASKS = 100;
    static final int EXAMPLES = 3;

    private StoppedTasks() {}

    /** Why a task stopped; {@code normal} classes are expected (scale-in, user stop, maintenance). */
    public enum FailureClass {
        OUT_OF_MEMORY("out of memory (OutOfMemoryError reason)", false),
        IMAGE_PULL("image pull failed (CannotPullContainerError)", false),
        CANNOT_START_CONTAINER(
                "the container runtime could not start the container (CannotStartContainerError)", false),
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

        private final String description;
        private final boolean normal;

        FailureClass(String description, boolean normal) {
            this.description = description;
            this.normal = normal;
        }

        /** The wire name ({@code out_of_memory}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What the class means, one line. */
        public String description() {
            return description;
        }

        /** Whether stopping this way is expected (scale-in, user stop, maintenance) rather than a failure. */
        public boolean normal() {
            return normal;
        }
    }

    /** One container of a stopped task. */
    public record ContainerStop(String name, String image, Integer exitCode, String reason) {}

    /**
     * A classified stopped task: the class, a one-line detail (cause, image, exit code) and the container the
     * failure is attributed to (null when it is the task's, e.g. an ENI timeout) with its exit code.
     */
    public record Classified(FailureClass type, String detail, String container, Integer exitCode) {

        Classified(FailureClass type, String detail) {
            this(type, detail, null, null);
        }
    }

    /** Classifies one stopped task from its stop code, stopped reason and containers (all essential). */
    public static Classified classify(String stopCode, String stoppedReason, List<ContainerStop> containers) {
        return classify(stopCode, stoppedReason, containers, Set.of());
    }

    private static boolean oomReason(String reason) {
        List<String> w = Text.words(reason);
        return w.contains("outofmemoryerror")
                || w.contains("oomkilled")
                || w.contains("oom")
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
        List<ContainerStop> essential = containers.stream()
                .filter(c -> !nonEssential.contains(c.name()))
                .toList();
        List<ContainerStop> pool = essential.stream().anyMatch(c -> c.exitCode() != null) ? essential : containers;
        return pool.stream()
                .filter(c -> c.exitCode() != null && c.exitCode() != 0 && c.exitCode() != 137 && c.exitCode() != 143)
                .findFirst()
                .or(() -> pool.stream()
                        .filter(c -> c.exitCode() != null && c.exitCode() != 0)
                        .findFirst())
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
    public static Classified classify(
            String stopCode, String stoppedReason, List<ContainerStop> containers, Set<String> nonEssential) {
        String reason = stoppedReason == null ? "" : stoppedReason;
        StringBuilder all = new StringBuilder(reason);
        containers.forEach(c -> all.append(' ').append(c.reason() == null ? "" : c.reason()));
        List<String> w = Text.words(all.toString());
        String code = stopCode == null ? "" : stopCode;
        if (w.contains("cannotpullcontainererror")
                || w.contains("cannotpullimagemanifesterror")
                || Text.phrase(w, "pull image manifest", "failed to resolve ref")) {
            ContainerStop pulled = containers.stream()
                    .filter(c -> c.reason() != null
                            && Text.words(c.reason()).stream().anyMatch(x -> x.contains("pull")))
                    .findFirst()
                    .orElse(containers.isEmpty() ? null : containers.get(0));
            String image = pulled == null ? null : pulled.image();
            String source = reason.contains("CannotPullContainerError")
                            || containers.stream()
                                    .noneMatch(c ->
                                            c.reason() != null && c.reason().contains("CannotPullContainerError"))
                    ? reason
                    : containers.stream()
                            .map(ContainerStop::reason)
                            .filter(r -> r != null && r.contains("CannotPullContainerError"))
                            .findFirst()
                            .orElse(reason);
            int at = source.indexOf("CannotPullContainerError");
            String cause = at >= 0
                    ? source.substring(at + "CannotPullContainerError".length()).replaceFirst("^[:\\s]+", "")
                    : source;
            return new Classified(
                    FailureClass.IMAGE_PULL,
                    "image " + image + ": " + Text.cut(cause.strip(), 300),
                    pulled == null ? null : pulled.name(),
                    null);
        }
        String text = all.toString().strip();
        if (w.contains("cannotstartcontainererror")) {
            ContainerStop c = containers.stream()
                    .filter(x -> Text.words(x.reason()).contains("cannotstartcontainererror"))
                    .findFirst()
                    .orElse(containers.size() == 1 ? containers.get(0) : null);
            return new Classified(
                    FailureClass.CANNOT_START_CONTAINER, Text.cut(text, 300), c == null ? null : c.name(), null);
        }
        if (w.contains("cannotinspectcontainererror")
                || w.contains("containerruntimetimeouterror")
                || w.contains("dockertimeouterror")
                || w.contains("cannotstopcontainererror")
                || w.contains("cannotcreatecontainererror")
                || w.contains("containerruntimeerror")) {
            return new Classified(FailureClass.HOST_PROBLEM, Text.cut(text, 300));
        }
        if (Text.phrase(w, "network interface provisioning", "waiting for network interface", "eni attachment")) {
            return new Classified(FailureClass.ENI_PROVISIONING, Text.cut(text, 300));
        }
        if (w.contains("resourceinitializationerror")) {
            String sub = w.contains("secret")
                            || w.contains("secrets")
                            || w.contains("ssm")
                            || w.contains("asm")
                            || Text.phrase(w, "registry auth")
                    ? "secrets"
                    : w.contains("eni") || Text.phrase(w, "network interface")
                            ? "eni"
                            : w.contains("efs") || w.contains("volume") || w.contains("volumes")
                                    ? "volume"
                                    : w.contains("logger")
                                                    || w.contains("logging")
                                                    || w.contains("log")
                                                    || w.contains("cloudwatch")
                                            ? "log_driver"
                                            : "other";
            return new Classified(FailureClass.RESOURCE_INITIALIZATION, sub + ": " + Text.cut(reason, 300));
        }
        if (oomReason(reason) || containers.stream().anyMatch(c -> oomReason(c.reason()))) {
            ContainerStop c = failingContainer(containers, nonEssential);
            return new Classified(
                    FailureClass.OUT_OF_MEMORY,
                    c == null
                            ? Text.cut(reason, 300)
                            : "container " + c.name() + " exit " + Text.str(c.exitCode()) + ": "
                                    + (c.reason() == null ? reason : c.reason()),
                    c == null ? null : c.name(),
                    c == null ? null : c.exitCode());
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
        if ("TerminationNotice".equals(code)
                || w.contains("maintenance")
                || w.contains("retirement")
                || w.contains("retired")
                || w.contains("draining")
                || Text.phrase(w, "being drained")) {
            return new Classified(FailureClass.MAINTENANCE, reason);
        }
        if ("UserInitiated".equals(code) || Text.phrase(w, "stopped by user")) {
            return new Classified(FailureClass.USER_STOP, reason);
        }
        if ("ServiceSchedulerInitiated".equals(code)
                && (w.contains("scaling") || w.contains("deployment") || w.contains("scale"))) {
            return new Classified(FailureClass.SCALE_IN, reason);
        }
        if ("EssentialContainerExited".equals(code) || Text.phrase(w, "essential container")) {
            ContainerStop failed = failingContainer(containers, nonEssential);
            if (failed == null) {
                return new Classified(FailureClass.ESSENTIAL_CONTAINER_EXITED, reason);
            }
            String signal = failed.exitCode() != null && failed.exitCode() == 137
                    ? " (SIGKILL: the OOM killer or the kill after stopTimeout; no out-of-memory reason)"
                    : "";
            return new Classified(
                    FailureClass.ESSENTIAL_CONTAINER_EXITED,
                    "container " + failed.name()
                            + " exited with code " + failed.exitCode() + signal
                            + (failed.reason() == null ? "" : ": " + failed.reason()),
                    failed.name(),
                    failed.exitCode());
        }
        return new Classified(
                FailureClass.OTHER, Text.cut(code + " " + reason, 300).strip());
    }

    /**
     * Stopped tasks of a service — or, with {@code serviceName} null, of the whole cluster (each class then lists
     * the task groups, {@code service:NAME}, it was seen in) — since a time, classified (the structured content of
     * {@code ecs_task_failures}).
     */
    public static TaskFailures read(
            AwsTarget t, String cluster, String serviceName, Instant since, int maxTasks, ToolContext ctx) {
        Service service = serviceName == null ? null : Ecs.service(t, cluster, serviceName);
        String current = service == null ? null : Ecs.familyRevision(Ecs.currentTaskDefinition(service));
        String scope = service == null ? "cluster " + cluster : "service " + serviceName;
        List<String> arns = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            int want = Math.min(100, maxTasks - arns.size());
            ListTasksResponse page = t.call(
                    AwsAction.ECS_LIST_TASKS,
                    "stopped tasks of " + scope,
                    () -> t.ecs()
                            .listTasks(b -> b.cluster(cluster)
                                    .serviceName(service == null ? null : service.serviceName())
                                    .desiredStatus(DesiredStatus.STOPPED)
                                    .nextToken(next)
                                    .maxResults(want)));
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
            tasks.addAll(t.call(
                            AwsAction.ECS_DESCRIBE_TASKS,
                            "stopped tasks of " + scope,
                            () -> t.ecs().describeTasks(b -> b.cluster(cluster).tasks(batch)))
                    .tasks());
            ctx.progress().report(i / 100 + 2, (double) batches + 1, "described tasks");
        }
        tasks.sort(Comparator.comparing((Task x) -> x.stoppedAt() == null ? Instant.EPOCH : x.stoppedAt())
                .reversed());
        Set<String> nonEssential = service == null ? Set.of() : nonEssential(t, service);
        Map<FailureClass, Set<String>> groups = new EnumMap<>(FailureClass.class);

        Map<FailureClass, List<TaskFailures.StoppedTask>> byClass = new EnumMap<>(FailureClass.class);
        Map<FailureClass, Integer> onCurrent = new EnumMap<>(FailureClass.class);
        int examined = 0;
        for (Task task : tasks) {
            if (task.stoppedAt() != null && task.stoppedAt().isBefore(since)) {
                continue;
            }
            examined++;
            List<ContainerStop> containers = task.containers().stream()
                    .map(c -> new ContainerStop(c.name(), c.image(), c.exitCode(), c.reason()))
                    .toList();
            Classified c = classify(task.stopCodeAsString(), task.stoppedReason(), containers, nonEssential);
            String revision = Ecs.familyRevision(task.taskDefinitionArn());
            if (revision != null && revision.equals(current)) {
                onCurrent.merge(c.type(), 1, Integer::sum);
            }
            if (task.group() != null) {
                groups.computeIfAbsent(c.type(), k -> new TreeSet<>()).add(task.group());
            }
            byClass.computeIfAbsent(c.type(), k -> new ArrayList<>())
                    .add(new TaskFailures.StoppedTask(
                            AwsTool.shortName(task.taskArn()),
                            task.group(),
                            revision,
                            task.stoppedAt(),
                            task.stopCodeAsString(),
                            task.stoppedReason(),
                            c.detail(),
                            c.container(),
                            c.exitCode(),
                            containers));
        }
        List<TaskFailures.ClassSummary> classes = byClass.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<FailureClass, List<TaskFailures.StoppedTask>> e) ->
                                e.getKey().normal())
                        .thenComparing(e -> -e.getValue().size()))
                .map(e -> new TaskFailures.ClassSummary(
                        e.getKey(),
                        e.getValue().size(),
                        onCurrent.getOrDefault(e.getKey(), 0),
                        List.copyOf(groups.getOrDefault(e.getKey(), Set.of())),
                        e.getValue().stream().limit(EXAMPLES).toList()))
                .toList();
        return new TaskFailures(
                AccountRegion.of(t),
                AwsTool.shortName(cluster),
                service == null ? null : service.serviceName(),
                current,
                since,
                examined,
                truncated,
                classes);
    }

    /** Non-essential container names of the service's task definition; empty when it cannot be read. */
    private static Set<String> nonEssential(AwsTarget t, Service service) {
        try {
            Set<String> out = new HashSet<>();
            Ecs.taskDefinitionOf(t, service).containerDefinitions().stream()
                    .filter(d -> Boolean.FALSE.equals(d.essential()))
                    .forEach(d -> out.add(d.name()));
            return out;
        } catch (ToolException e) {
            // attribution then treats every container as essential; the failures themselves are still listed
            return Set.of();
        }
    }
}
