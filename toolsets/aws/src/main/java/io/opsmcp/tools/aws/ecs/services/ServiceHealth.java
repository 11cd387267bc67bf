package io.opsmcp.tools.aws.ecs.services;

import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.common.Text;
import io.opsmcp.tools.aws.ecs.services.ServiceEvents.EventClass;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The health of one ECS service: what {@code ecs_service_health} returns and {@code ecs_troubleshoot} reads. Counts
 * are the SDK's (null when ECS leaves them out).
 */
public record ServiceHealth(
        AccountRegion where,
        String cluster,
        String service,
        String status,
        Integer desired,
        Integer running,
        Integer pending,
        String taskDefinition,
        String deploymentController,
        List<TaskSetState> taskSets,
        String launchType,
        Integer healthCheckGracePeriodSeconds,
        boolean circuitBreakerEnabled,
        boolean circuitBreakerRollback,
        List<DeploymentState> deployments,
        Events events,
        List<TargetGroupHealth> loadBalancers,
        Verdict verdict,
        List<String> verdictReasons) {

    /** The overall verdict, most severe last. */
    public enum Verdict {
        HEALTHY,
        DEPLOYING,
        DEGRADED,
        FAILING;

        /** The wire name ({@code healthy}). */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A task set (CODE_DEPLOY / EXTERNAL deployment controllers). */
    public record TaskSetState(
            String id,
            String status,
            String taskDefinition,
            Integer desired,
            Integer running,
            Integer pending,
            String stability) {}

    /** One deployment of the service. */
    public record DeploymentState(
            String id,
            String status,
            String taskDefinition,
            Integer desired,
            Integer running,
            Integer pending,
            Integer failedTasks,
            String rolloutState,
            String rolloutStateReason,
            Instant createdAt,
            Instant updatedAt) {

        public boolean primary() {
            return "PRIMARY".equals(status);
        }
    }

    /** The newest service events examined, grouped by class (and reason). */
    public record Events(int examined, List<EventGroup> groups, EventClass latestClass) {}

    /**
     * Events of one class and reason: how many, how many are recent (of the last hour and after the newest steady
     * state: what the service does now), the oldest and newest, and the newest message.
     */
    public record EventGroup(
            EventClass type,
            String reason,
            int count,
            int recent,
            Instant firstAt,
            Instant lastAt,
            String latestMessage) {}

    /** A load balancer's target group with the health of each target. */
    public record TargetGroupHealth(
            String targetGroupArn,
            String loadBalancerName,
            String containerName,
            Integer containerPort,
            List<TargetState> targets,
            int healthy,
            int unhealthy) {}

    /** One registered target; {@code state} is ELBv2's ({@code healthy}, {@code unhealthy}, …). */
    public record TargetState(
            String id, Integer port, String availabilityZone, String state, String reason, String description) {}

    public ServiceHealth {
        taskSets = List.copyOf(taskSets);
        deployments = List.copyOf(deployments);
        loadBalancers = List.copyOf(loadBalancers);
        verdictReasons = List.copyOf(verdictReasons);
    }

    /** The PRIMARY deployment, if any. */
    public Optional<DeploymentState> primary() {
        return deployments.stream().filter(DeploymentState::primary).findFirst();
    }

    /** Unhealthy targets over all target groups. */
    public int unhealthyTargets() {
        return loadBalancers.stream().mapToInt(TargetGroupHealth::unhealthy).sum();
    }

    /** The structured content of {@code ecs_service_health}. */
    public ObjectNode toJson() {
        ObjectNode out = where.json();
        out.put("cluster", cluster);
        out.put("service", service);
        out.put("status", status);
        out.put("desired", desired);
        out.put("running", running);
        out.put("pending", pending);
        out.put("task_definition", taskDefinition);
        out.put("deployment_controller", deploymentController);
        ArrayNode sets = out.putArray("task_sets");
        for (TaskSetState ts : taskSets) {
            sets.addObject()
                    .put("id", ts.id())
                    .put("status", ts.status())
                    .put("task_definition", ts.taskDefinition())
                    .put("desired", ts.desired())
                    .put("running", ts.running())
                    .put("pending", ts.pending())
                    .put("stability", ts.stability());
        }
        out.put("launch_type", launchType);
        out.put("health_check_grace_period_seconds", healthCheckGracePeriodSeconds);
        ObjectNode breaker = out.putObject("circuit_breaker");
        breaker.put("enabled", circuitBreakerEnabled);
        breaker.put("rollback", circuitBreakerRollback);
        ArrayNode deps = out.putArray("deployments");
        for (DeploymentState d : deployments) {
            ObjectNode dn = deps.addObject();
            dn.put("id", d.id());
            dn.put("status", d.status());
            dn.put("task_definition", d.taskDefinition());
            dn.put("desired", d.desired());
            dn.put("running", d.running());
            dn.put("pending", d.pending());
            dn.put("failed_tasks", d.failedTasks());
            dn.put("rollout_state", d.rolloutState());
            dn.put("rollout_state_reason", d.rolloutStateReason());
            dn.put("created_at", Text.iso(d.createdAt()));
            dn.put("updated_at", Text.iso(d.updatedAt()));
        }
        ObjectNode ev = out.putObject("events");
        ev.put("examined", events.examined());
        ArrayNode groups = ev.putArray("groups");
        for (EventGroup g : events.groups()) {
            ObjectNode n = groups.addObject();
            n.put("class", g.type().label());
            if (g.reason() != null) {
                n.put("reason", g.reason());
            }
            n.put("count", g.count());
            n.put("recent", g.recent());
            n.put("last_at", Text.iso(g.lastAt()));
            n.put("latest_message", g.latestMessage());
            n.put("first_at", Text.iso(g.firstAt()));
        }
        ev.put(
                "latest_class",
                events.latestClass() == null ? null : events.latestClass().label());
        ArrayNode lbs = out.putArray("load_balancers");
        for (TargetGroupHealth lb : loadBalancers) {
            ObjectNode ln = lbs.addObject();
            ln.put("target_group_arn", lb.targetGroupArn());
            ln.put("load_balancer_name", lb.loadBalancerName());
            ln.put("container_name", lb.containerName());
            ln.put("container_port", lb.containerPort());
            ArrayNode targets = ln.putArray("targets");
            for (TargetState t : lb.targets()) {
                targets.addObject()
                        .put("id", t.id())
                        .put("port", t.port())
                        .put("availability_zone", t.availabilityZone())
                        .put("state", t.state())
                        .put("reason", t.reason())
                        .put("description", t.description());
            }
            ln.put("healthy", lb.healthy());
            ln.put("unhealthy", lb.unhealthy());
        }
        out.put("verdict", verdict.wire());
        ArrayNode r = out.putArray("verdict_reasons");
        verdictReasons.forEach(r::add);
        return out;
    }
}
