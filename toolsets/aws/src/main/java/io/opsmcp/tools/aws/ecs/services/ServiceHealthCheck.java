package io.opsmcp.tools.aws.ecs.services;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Text;
import io.opsmcp.tools.aws.ecs.services.ServiceEvents.Classified;
import io.opsmcp.tools.aws.ecs.services.ServiceEvents.EventClass;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth.DeploymentState;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth.EventGroup;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth.TargetGroupHealth;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth.TargetState;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth.TaskSetState;
import io.opsmcp.tools.aws.ecs.services.ServiceHealth.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Reads the health of one ECS service ({@link ServiceHealth}): DescribeServices, DescribeTargetHealth per target
 * group, the events classified ({@link ServiceEvents}) and a verdict. Target health reason codes are ELBv2's
 * ({@code TargetHealth.Reason}). Used by {@code ecs_service_health} and {@code ecs_troubleshoot}.
 */
public final class ServiceHealthCheck {

    /** Events newer than this decide the verdict; older ones are history. */
    public static final Duration RECENT = Duration.ofHours(1);

    private ServiceHealthCheck() {}

    /**
     * The whole health picture of one service.
     *
     * @param maxEvents how many of the newest events to examine (ECS returns up to 100)
     */
    public static ServiceHealth read(
            AwsTarget target, String cluster, String serviceName, int maxEvents, ToolContext ctx, Instant now) {
        Service s = Ecs.service(target, cluster, serviceName);
        List<LoadBalancer> balancers = Ecs.loadBalancers(s);
        int steps = 1 + balancers.size();
        ctx.progress().report(1, (double) steps, "described service " + s.serviceName());
        List<TaskSetState> taskSets = s.taskSets().stream()
                .map(ts -> new TaskSetState(
                        ts.id(),
                        ts.status(),
                        Ecs.familyRevision(ts.taskDefinition()),
                        ts.computedDesiredCount(),
                        ts.runningCount(),
                        ts.pendingCount(),
                        ts.stabilityStatusAsString()))
                .toList();
        DeploymentCircuitBreaker cb = s.deploymentConfiguration() == null
                ? null
                : s.deploymentConfiguration().deploymentCircuitBreaker();
        List<DeploymentState> deployments = s.deployments().stream()
                .map(d -> new DeploymentState(
                        d.id(),
                        d.status(),
                        Ecs.familyRevision(d.taskDefinition()),
                        d.desiredCount(),
                        d.runningCount(),
                        d.pendingCount(),
                        d.failedTasks(),
                        d.rolloutStateAsString(),
                        d.rolloutStateReason(),
                        d.createdAt(),
                        d.updatedAt()))
                .toList();

        List<ServiceEvent> examined = s.events().stream().limit(maxEvents).toList();
        Map<EventClass, Integer> recent = new EnumMap<>(EventClass.class);
        // Problems reported before the newest steady state are history: the service recovered since.
        Instant recentFrom = now.minus(RECENT);
        for (ServiceEvent e : examined) {
            if (ServiceEvents.classify(e.message()).type().steady() && e.createdAt() != null) {
                recentFrom = e.createdAt().isAfter(recentFrom) ? e.createdAt() : recentFrom;
                break;
            }
        }
        Map<String, GroupCount> groups = new LinkedHashMap<>();
        for (ServiceEvent e : examined) {
            Classified c = ServiceEvents.classify(e.message());
            String key = c.type().label() + (c.reason() == null ? "" : ":" + c.reason());
            GroupCount g = groups.computeIfAbsent(key, k -> new GroupCount(c, e.createdAt(), e.message()));
            g.count++;
            g.firstAt = e.createdAt();
            if (e.createdAt() != null
                    && (c.type().steady()
                            ? e.createdAt().isAfter(now.minus(RECENT))
                            : e.createdAt().isAfter(recentFrom))) {
                recent.merge(c.type(), 1, Integer::sum);
                // events of the last hour and after the newest steady state: what the service does now
                g.recent++;
            }
        }
        EventClass latest = examined.isEmpty()
                ? null
                : ServiceEvents.classify(examined.get(0).message()).type();
        ServiceHealth.Events events = new ServiceHealth.Events(
                examined.size(),
                groups.values().stream().map(GroupCount::freeze).toList(),
                latest);

        List<TargetGroupHealth> lbs = new ArrayList<>();
        int done = 1;
        for (LoadBalancer lb : balancers) {
            List<TargetState> targets = new ArrayList<>();
            int healthy = 0;
            int unhealthy = 0;
            if (lb.targetGroupArn() != null) {
                List<TargetHealthDescription> health = target.call(
                                AwsAction.ELB_DESCRIBE_TARGET_HEALTH,
                                "target group " + lb.targetGroupArn(),
                                () -> target.elb().describeTargetHealth(b -> b.targetGroupArn(lb.targetGroupArn())))
                        .targetHealthDescriptions();
                for (TargetHealthDescription t : health) {
                    String state =
                            t.targetHealth() == null ? null : t.targetHealth().stateAsString();
                    targets.add(new TargetState(
                            t.target().id(),
                            t.target().port(),
                            t.target().availabilityZone(),
                            state,
                            t.targetHealth() == null ? null : t.targetHealth().reasonAsString(),
                            t.targetHealth() == null ? null : t.targetHealth().description()));
                    if ("healthy".equals(state)) {
                        healthy++;
                    } else if ("unhealthy".equals(state)) {
                        unhealthy++;
                    }
                }
            }
            lbs.add(new TargetGroupHealth(
                    lb.targetGroupArn(),
                    lb.loadBalancerName(),
                    lb.containerName(),
                    lb.containerPort(),
                    targets,
                    healthy,
                    unhealthy));
            ctx.progress().report(++done, (double) steps, "target health of " + AwsTool.shortName(lb.targetGroupArn()));
        }
        List<String> reasons = new ArrayList<>();
        Verdict verdict = verdict(
                s, recent, lbs.stream().mapToInt(TargetGroupHealth::unhealthy).sum(), reasons);
        return new ServiceHealth(
                AccountRegion.of(target),
                AwsTool.shortName(cluster),
                s.serviceName(),
                s.status(),
                s.desiredCount(),
                s.runningCount(),
                s.pendingCount(),
                Ecs.familyRevision(Ecs.currentTaskDefinition(s)),
                s.deploymentController() == null
                        ? "ECS"
                        : s.deploymentController().typeAsString(),
                taskSets,
                s.launchTypeAsString(),
                s.healthCheckGracePeriodSeconds(),
                cb != null && Boolean.TRUE.equals(cb.enable()),
                cb != null && Boolean.TRUE.equals(cb.rollback()),
                deployments,
                events,
                lbs,
                verdict,
                reasons);
    }

    /** Mutable tally of one event group while the events are read. */
    private static final class GroupCount {
        final Classified type;
        final Instant lastAt;
        final String latestMessage;
        Instant firstAt;
        int count;
        int recent;

        GroupCount(Classified type, Instant lastAt, String latestMessage) {
            this.type = type;
            this.lastAt = lastAt;
            this.latestMessage = latestMessage;
        }

        EventGroup freeze() {
            return new EventGroup(type.type(), type.reason(), count, recent, firstAt, lastAt, latestMessage);
        }
    }

    private static Verdict verdict(
            Service s, Map<EventClass, Integer> recent, int unhealthyTargets, List<String> reasons) {
        Deployment primary = s.deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .findFirst()
                .orElse(null);
        boolean failing = false;
        boolean deploying = false;
        boolean degraded = false;
        if (primary != null && "FAILED".equals(primary.rolloutStateAsString())) {
            failing = true;
            reasons.add("the primary deployment (" + Ecs.familyRevision(primary.taskDefinition()) + ") failed: "
                    + Text.str(primary.rolloutStateReason()));
        }
        if (s.desiredCount() > 0 && s.runningCount() == 0) {
            failing = true;
            reasons.add("no task is running (desired " + s.desiredCount() + ")");
        }
        if (recent.getOrDefault(EventClass.DEPLOYMENT_FAILED, 0) > 0
                || recent.getOrDefault(EventClass.ROLLED_BACK, 0) > 0) {
            failing = true;
            reasons.add("a deployment failed or was rolled back in the last hour (and no steady state since)");
        }
        if (s.deployments().size() > 1 || primary != null && "IN_PROGRESS".equals(primary.rolloutStateAsString())) {
            deploying = true;
            reasons.add(s.deployments().size() + " deployments active (rollout in progress)");
        }
        if (s.runningCount() < s.desiredCount()) {
            degraded = true;
            reasons.add("running " + s.runningCount() + " of desired " + s.desiredCount());
        }
        if (unhealthyTargets > 0) {
            degraded = true;
            reasons.add(unhealthyTargets + " target(s) unhealthy in the load balancer");
        }
        if (primary != null && primary.failedTasks() != null && primary.failedTasks() > 0) {
            degraded = true;
            reasons.add(primary.failedTasks() + " task(s) of the primary deployment failed");
        }
        int placement =
                recent.getOrDefault(EventClass.CANNOT_PLACE, 0) + recent.getOrDefault(EventClass.LAUNCH_FAILED, 0);
        if (placement > 0) {
            degraded = true;
            reasons.add(placement + " task placement or launch failure event(s) in the last hour");
        }
        int started = recent.getOrDefault(EventClass.TASKS_STARTED, 0);
        if (started >= 3 && recent.getOrDefault(EventClass.STEADY_STATE, 0) == 0) {
            degraded = true;
            reasons.add(
                    started + " task start events and no steady state in the last hour (tasks keep being replaced)");
        }
        if (reasons.isEmpty()) {
            reasons.add("running " + s.runningCount() + " of desired " + s.desiredCount()
                    + ", one completed deployment, targets healthy");
        }
        return failing
                ? Verdict.FAILING
                : deploying ? Verdict.DEPLOYING : degraded ? Verdict.DEGRADED : Verdict.HEALTHY;
    }

    /** Renders a {@link ServiceHealth} as text. */
    static String text(ServiceHealth h) {
        StringBuilder sb = new StringBuilder();
        sb.append("service ")
                .append(h.service())
                .append(" in cluster ")
                .append(h.cluster())
                .append(" (")
                .append(h.where().account())
                .append(", ")
                .append(h.where().region())
                .append("): ")
                .append(h.verdict().wire().toUpperCase(Locale.ROOT))
                .append('\n');
        h.verdictReasons().forEach(r -> sb.append("  - ").append(r).append('\n'));
        sb.append("desired ")
                .append(num(h.desired()))
                .append(", running ")
                .append(num(h.running()))
                .append(", pending ")
                .append(num(h.pending()))
                .append("; task definition ")
                .append(h.taskDefinition())
                .append('\n');
        sb.append("\ndeployments:\n");
        List<List<String>> rows = new ArrayList<>();
        h.deployments()
                .forEach(d -> rows.add(Text.row(
                        d.status() == null ? "" : d.status(),
                        d.taskDefinition() == null ? "" : d.taskDefinition(),
                        d.rolloutState() == null ? "-" : d.rolloutState(),
                        num(d.desired()) + "/" + num(d.running()) + "/" + num(d.pending()),
                        String.valueOf(num(d.failedTasks())),
                        d.rolloutStateReason() == null ? "-" : d.rolloutStateReason())));
        sb.append(Text.table(List.of("STATUS", "TASK DEF", "ROLLOUT", "DES/RUN/PEND", "FAILED", "REASON"), rows));
        sb.append("\nevents (newest ").append(h.events().examined()).append("):\n");
        List<List<String>> ev = new ArrayList<>();
        h.events()
                .groups()
                .forEach(g -> ev.add(Text.row(
                        g.type().label() + (g.reason() == null ? "" : ":" + g.reason()),
                        String.valueOf(g.count()),
                        g.lastAt() == null ? "" : Text.iso(g.lastAt()),
                        g.latestMessage() == null ? "" : g.latestMessage())));
        sb.append(Text.table(List.of("CLASS", "COUNT", "LAST", "LATEST MESSAGE"), ev));
        for (TargetGroupHealth lb : h.loadBalancers()) {
            sb.append("\ntarget group ")
                    .append(AwsTool.shortName(lb.targetGroupArn() == null ? "-" : lb.targetGroupArn()))
                    .append(" (container ")
                    .append(lb.containerName() == null ? "-" : lb.containerName())
                    .append(':')
                    .append(num(lb.containerPort()))
                    .append("): ")
                    .append(lb.healthy())
                    .append(" healthy, ")
                    .append(lb.unhealthy())
                    .append(" unhealthy\n");
            List<List<String>> tr = new ArrayList<>();
            lb.targets()
                    .forEach(t -> tr.add(Text.row(
                            t.id() == null ? "-" : t.id(),
                            String.valueOf(num(t.port())),
                            t.state() == null ? "-" : t.state(),
                            t.reason() == null ? "-" : t.reason(),
                            t.description() == null ? "-" : t.description())));
            sb.append(Text.table(List.of("TARGET", "PORT", "STATE", "REASON", "DESCRIPTION"), tr));
        }
        return sb.toString();
    }

    /** A count as the text shows it: 0 when ECS left it out (as the JSON rendering's {@code asInt()} did). */
    private static int num(Integer n) {
        return n == null ? 0 : n;
    }
}
