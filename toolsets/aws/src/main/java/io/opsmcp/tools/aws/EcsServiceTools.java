package io.opsmcp.tools.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * ECS clusters and services: {@code ecs_list_clusters}, {@code ecs_list_services}, {@code ecs_service_health}.
 * Service event messages are classified by the wording documented in the Amazon ECS Developer Guide
 * ("Viewing Amazon ECS service event messages"); target health reason codes are ELBv2's
 * ({@code TargetHealth.Reason}).
 */
final class EcsServiceTools {

    static final int MAX_PAGES = 10;
    /** Events newer than this decide the verdict; older ones are history. */
    static final Duration RECENT = Duration.ofHours(1);

    private final Accounts accounts;

    EcsServiceTools(Accounts accounts) {
        this.accounts = accounts;
    }

    List<OpsTool> tools() {
        return List.of(new ListClusters(accounts), new ListServices(accounts), new ServiceHealth(accounts, this));
    }

    /** Classes of service event messages. */
    enum EventClass {
        STEADY_STATE, CANNOT_PLACE, LAUNCH_FAILED, UNHEALTHY_TARGET, CONTAINER_HEALTH_FAILED, DEPLOYMENT_FAILED,
        ROLLED_BACK, DEPLOYMENT_COMPLETED, TASKS_STARTED, TASKS_STOPPED, TARGETS_REGISTERED, TARGETS_DEREGISTERED, OTHER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A classified event; {@code reason} is set for CANNOT_PLACE (memory, cpu, ports, eni, capacity, attribute,
     * other) and LAUNCH_FAILED (iam_role, other).
     */
    record Classified(EventClass type, String reason) {
    }

    /** Classifies one service event message by its words and phrases ({@link Text#words}), never substrings. */
    static Classified classify(String message) {
        List<String> w = Text.words(message);
        if (Text.phrase(w, "has reached a steady state")) {
            return new Classified(EventClass.STEADY_STATE, null);
        }
        if (Text.phrase(w, "unable to place a task", "unable to place tasks")) {
            String reason;
            if (Text.phrase(w, "insufficient memory")) {
                reason = "memory";
            } else if (Text.phrase(w, "insufficient cpu")) {
                reason = "cpu";
            } else if (Text.phrase(w, "using a port", "port required", "ports required")) {
                reason = "ports";
            } else if (w.contains("eni") || w.contains("enis") || Text.phrase(w, "network interface",
                    "elastic network interface", "free addresses", "ip address", "ip addresses")) {
                reason = "eni";
            } else if (Text.phrase(w, "missing an attribute", "placement constraint")) {
                reason = "attribute";
            } else if (w.contains("capacity") || Text.phrase(w, "no container instances", "no container instance")) {
                reason = "capacity";
            } else {
                reason = "other";
            }
            return new Classified(EventClass.CANNOT_PLACE, reason);
        }
        if (Text.phrase(w, "failed to launch a task", "failed to launch tasks")) {
            return new Classified(EventClass.LAUNCH_FAILED, Text.phrase(w, "unable to assume the role",
                    "unable to assume role") ? "iam_role" : "other");
        }
        if (Text.phrase(w, "is unhealthy in", "failed elb health checks")) {
            return new Classified(EventClass.UNHEALTHY_TARGET, null);
        }
        if (Text.phrase(w, "failed container health checks")) {
            return new Classified(EventClass.CONTAINER_HEALTH_FAILED, null);
        }
        if (Text.phrase(w, "rolling back", "rolled back") || w.contains("rollback")) {
            return new Classified(EventClass.ROLLED_BACK, null);
        }
        if (Text.phrase(w, "deployment failed")) {
            return new Classified(EventClass.DEPLOYMENT_FAILED, null);
        }
        if (Text.phrase(w, "deployment completed")) {
            return new Classified(EventClass.DEPLOYMENT_COMPLETED, null);
        }
        if (Text.phrase(w, "has started")) {
            return new Classified(EventClass.TASKS_STARTED, null);
        }
        if (Text.phrase(w, "has stopped")) {
            return new Classified(EventClass.TASKS_STOPPED, null);
        }
        if (w.contains("deregistered")) {
            return new Classified(EventClass.TARGETS_DEREGISTERED, null);
        }
        if (w.contains("registered")) {
            return new Classified(EventClass.TARGETS_REGISTERED, null);
        }
        return new Classified(EventClass.OTHER, null);
    }

    /**
     * The whole health picture of one service (the structured content of {@code ecs_service_health}).
     *
     * @param maxEvents how many of the newest events to examine (ECS returns up to 100)
     */
    ObjectNode health(AwsTarget target, String cluster, String serviceName, int maxEvents, ToolContext ctx,
                      Instant now) {
        Service s = Ecs.service(target, cluster, serviceName);
        List<LoadBalancer> balancers = Ecs.loadBalancers(s);
        int steps = 1 + balancers.size();
        ctx.progress().report(1, (double) steps, "described service " + s.serviceName());
        ObjectNode out = AwsTool.result(target);
        out.put("cluster", AwsTool.shortName(cluster));
        out.put("service", s.serviceName());
        out.put("status", s.status());
        out.put("desired", s.desiredCount());
        out.put("running", s.runningCount());
        out.put("pending", s.pendingCount());
        out.put("task_definition", Ecs.familyRevision(Ecs.currentTaskDefinition(s)));
        out.put("deployment_controller", s.deploymentController() == null ? "ECS"
                : s.deploymentController().typeAsString());
        ArrayNode taskSets = out.putArray("task_sets");
        for (software.amazon.awssdk.services.ecs.model.TaskSet ts : s.taskSets()) {
            taskSets.addObject().put("id", ts.id()).put("status", ts.status())
                    .put("task_definition", Ecs.familyRevision(ts.taskDefinition()))
                    .put("desired", ts.computedDesiredCount()).put("running", ts.runningCount())
                    .put("pending", ts.pendingCount()).put("stability", ts.stabilityStatusAsString());
        }
        out.put("launch_type", s.launchTypeAsString());
        out.put("health_check_grace_period_seconds", s.healthCheckGracePeriodSeconds());
        DeploymentCircuitBreaker cb = s.deploymentConfiguration() == null ? null
                : s.deploymentConfiguration().deploymentCircuitBreaker();
        ObjectNode breaker = out.putObject("circuit_breaker");
        breaker.put("enabled", cb != null && Boolean.TRUE.equals(cb.enable()));
        breaker.put("rollback", cb != null && Boolean.TRUE.equals(cb.rollback()));
        ArrayNode deployments = out.putArray("deployments");
        for (Deployment d : s.deployments()) {
            ObjectNode dn = deployments.addObject();
            dn.put("id", d.id());
            dn.put("status", d.status());
            dn.put("task_definition", Ecs.familyRevision(d.taskDefinition()));
            dn.put("desired", d.desiredCount());
            dn.put("running", d.runningCount());
            dn.put("pending", d.pendingCount());
            dn.put("failed_tasks", d.failedTasks());
            dn.put("rollout_state", d.rolloutStateAsString());
            dn.put("rollout_state_reason", d.rolloutStateReason());
            dn.put("created_at", Text.iso(d.createdAt()));
            dn.put("updated_at", Text.iso(d.updatedAt()));
        }
        ObjectNode events = out.putObject("events");
        List<ServiceEvent> examined = s.events().stream().limit(maxEvents).toList();
        events.put("examined", examined.size());
        Map<String, ObjectNode> groups = new LinkedHashMap<>();
        Map<EventClass, Integer> recent = new EnumMap<>(EventClass.class);
        // Problems reported before the newest steady state are history: the service recovered since.
        Instant recentFrom = now.minus(RECENT);
        for (ServiceEvent e : examined) {
            EventClass type = classify(e.message()).type();
            if ((type == EventClass.STEADY_STATE || type == EventClass.DEPLOYMENT_COMPLETED) && e.createdAt() != null) {
                recentFrom = e.createdAt().isAfter(recentFrom) ? e.createdAt() : recentFrom;
                break;
            }
        }
        for (ServiceEvent e : examined) {
            Classified c = classify(e.message());
            String key = c.type().label() + (c.reason() == null ? "" : ":" + c.reason());
            ObjectNode g = groups.computeIfAbsent(key, k -> {
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("class", c.type().label());
                if (c.reason() != null) {
                    n.put("reason", c.reason());
                }
                n.put("count", 0);
                n.put("recent", 0);
                n.put("last_at", Text.iso(e.createdAt()));
                n.put("latest_message", e.message());
                return n;
            });
            g.put("count", g.get("count").intValue() + 1);
            g.put("first_at", Text.iso(e.createdAt()));
            boolean steadyType = c.type() == EventClass.STEADY_STATE || c.type() == EventClass.DEPLOYMENT_COMPLETED;
            if (e.createdAt() != null && (steadyType ? e.createdAt().isAfter(now.minus(RECENT))
                    : e.createdAt().isAfter(recentFrom))) {
                recent.merge(c.type(), 1, Integer::sum);
                // events of the last hour and after the newest steady state: what the service does now
                g.put("recent", g.get("recent").intValue() + 1);
            }
        }
        ArrayNode groupArray = events.putArray("groups");
        groups.values().forEach(groupArray::add);
        String latest = examined.isEmpty() ? null : classify(examined.get(0).message()).type().label();
        events.put("latest_class", latest);

        ArrayNode lbs = out.putArray("load_balancers");
        int unhealthyTargets = 0;
        int done = 1;
        for (LoadBalancer lb : balancers) {
            ObjectNode ln = lbs.addObject();
            ln.put("target_group_arn", lb.targetGroupArn());
            ln.put("load_balancer_name", lb.loadBalancerName());
            ln.put("container_name", lb.containerName());
            ln.put("container_port", lb.containerPort());
            ArrayNode targets = ln.putArray("targets");
            int healthy = 0;
            int unhealthy = 0;
            if (lb.targetGroupArn() != null) {
                List<TargetHealthDescription> health = target.call(AwsAction.ELB_DESCRIBE_TARGET_HEALTH,
                        "target group " + lb.targetGroupArn(),
                        () -> target.elb().describeTargetHealth(b -> b.targetGroupArn(lb.targetGroupArn())))
                        .targetHealthDescriptions();
                for (TargetHealthDescription t : health) {
                    ObjectNode tn = targets.addObject();
                    tn.put("id", t.target().id());
                    tn.put("port", t.target().port());
                    tn.put("availability_zone", t.target().availabilityZone());
                    String state = t.targetHealth() == null ? null : t.targetHealth().stateAsString();
                    tn.put("state", state);
                    tn.put("reason", t.targetHealth() == null ? null : t.targetHealth().reasonAsString());
                    tn.put("description", t.targetHealth() == null ? null : t.targetHealth().description());
                    if ("healthy".equals(state)) {
                        healthy++;
                    } else if ("unhealthy".equals(state)) {
                        unhealthy++;
                    }
                }
            }
            ln.put("healthy", healthy);
            ln.put("unhealthy", unhealthy);
            unhealthyTargets += unhealthy;
            ctx.progress().report(++done, (double) steps, "target health of " + AwsTool.shortName(lb.targetGroupArn()));
        }
        verdict(out, s, recent, unhealthyTargets);
        return out;
    }

    private static void verdict(ObjectNode out, Service s, Map<EventClass, Integer> recent, int unhealthyTargets) {
        List<String> reasons = new ArrayList<>();
        Deployment primary = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst()
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
        if (recent.getOrDefault(EventClass.DEPLOYMENT_FAILED, 0) > 0 || recent.getOrDefault(EventClass.ROLLED_BACK, 0) > 0) {
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
        int placement = recent.getOrDefault(EventClass.CANNOT_PLACE, 0) + recent.getOrDefault(EventClass.LAUNCH_FAILED, 0);
        if (placement > 0) {
            degraded = true;
            reasons.add(placement + " task placement or launch failure event(s) in the last hour");
        }
        int started = recent.getOrDefault(EventClass.TASKS_STARTED, 0);
        if (started >= 3 && recent.getOrDefault(EventClass.STEADY_STATE, 0) == 0) {
            degraded = true;
            reasons.add(started + " task start events and no steady state in the last hour (tasks keep being replaced)");
        }
        String verdict = failing ? "failing" : deploying ? "deploying" : degraded ? "degraded" : "healthy";
        if (reasons.isEmpty()) {
            reasons.add("running " + s.runningCount() + " of desired " + s.desiredCount()
                    + ", one completed deployment, targets healthy");
        }
        out.put("verdict", verdict);
        ArrayNode r = out.putArray("verdict_reasons");
        reasons.forEach(r::add);
    }

    /** Renders {@link #health} as text. */
    static String healthText(ObjectNode h) {
        StringBuilder sb = new StringBuilder();
        sb.append("service ").append(h.get("service").asString()).append(" in cluster ")
                .append(h.get("cluster").asString()).append(" (").append(h.get("account").asString()).append(", ")
                .append(h.get("region").asString()).append("): ").append(h.get("verdict").asString().toUpperCase(Locale.ROOT))
                .append('\n');
        h.get("verdict_reasons").forEach(r -> sb.append("  - ").append(r.asString()).append('\n'));
        sb.append("desired ").append(h.get("desired").asInt()).append(", running ").append(h.get("running").asInt())
                .append(", pending ").append(h.get("pending").asInt()).append("; task definition ")
                .append(h.get("task_definition").asString()).append('\n');
        sb.append("\ndeployments:\n");
        List<List<String>> rows = new ArrayList<>();
        h.get("deployments").forEach(d -> rows.add(Text.row(d.path("status").asString(""),
                d.path("task_definition").asString(""), d.path("rollout_state").asString("-"),
                d.path("desired").asInt() + "/" + d.path("running").asInt() + "/" + d.path("pending").asInt(),
                String.valueOf(d.path("failed_tasks").asInt()), d.path("rollout_state_reason").asString("-"))));
        sb.append(Text.table(List.of("STATUS", "TASK DEF", "ROLLOUT", "DES/RUN/PEND", "FAILED", "REASON"), rows));
        sb.append("\nevents (newest ").append(h.get("events").get("examined").asInt()).append("):\n");
        List<List<String>> ev = new ArrayList<>();
        h.get("events").get("groups").forEach(g -> ev.add(Text.row(
                g.get("class").asString() + (g.has("reason") ? ":" + g.get("reason").asString() : ""),
                String.valueOf(g.get("count").asInt()), g.get("last_at").asString(""),
                g.get("latest_message").asString(""))));
        sb.append(Text.table(List.of("CLASS", "COUNT", "LAST", "LATEST MESSAGE"), ev));
        for (var lb : h.get("load_balancers")) {
            sb.append("\ntarget group ").append(AwsTool.shortName(lb.path("target_group_arn").asString("-")))
                    .append(" (container ").append(lb.path("container_name").asString("-")).append(':')
                    .append(lb.path("container_port").asInt()).append("): ").append(lb.get("healthy").asInt())
                    .append(" healthy, ").append(lb.get("unhealthy").asInt()).append(" unhealthy\n");
            List<List<String>> tr = new ArrayList<>();
            lb.get("targets").forEach(t -> tr.add(Text.row(t.path("id").asString("-"), String.valueOf(t.path("port").asInt()),
                    t.path("state").asString("-"), t.path("reason").asString("-"), t.path("description").asString("-"))));
            sb.append(Text.table(List.of("TARGET", "PORT", "STATE", "REASON", "DESCRIPTION"), tr));
        }
        return sb.toString();
    }

    /** {@code ecs_list_clusters}. */
    static final class ListClusters extends AwsTool {

        ListClusters(Accounts accounts) {
            super(accounts);
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode item = JsonSchemas.properties();
            item.set("name", JsonSchemas.type("string", "cluster name"));
            item.set("status", JsonSchemas.type("string", "ACTIVE, PROVISIONING, DEPROVISIONING, FAILED, INACTIVE"));
            item.set("active_services", JsonSchemas.type("integer", "services in ACTIVE state"));
            item.set("running_tasks", JsonSchemas.type("integer", "tasks RUNNING"));
            item.set("pending_tasks", JsonSchemas.type("integer", "tasks PENDING"));
            item.set("container_instances", JsonSchemas.type("integer", "registered EC2 container instances"));
            ObjectNode out = Schemas.scopedOutput();
            out.set("clusters", JsonSchemas.arrayOf(JsonSchemas.output(item, "name", "status"), "clusters"));
            out.set("truncated", JsonSchemas.type("boolean", "more clusters exist than were listed"));
            return new ToolDefinition("ecs_list_clusters", "ECS clusters",
                    "Lists the ECS clusters of an account and region with their status, number of active services "
                            + "and running/pending tasks. Start here to find the cluster name for the other ecs_* tools.",
                    JsonSchemas.input(Schemas.scoped()), JsonSchemas.output(out, "account", "region", "clusters"),
                    ToolAnnotations.readOnly());
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return descriptor(accounts.resolve(args), "ecs:cluster", "*", null, null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            List<String> arns = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String next = token;
                ListClustersResponse page = t.call(AwsAction.ECS_LIST_CLUSTERS, "clusters",
                        () -> t.ecs().listClusters(b -> b.nextToken(next).maxResults(100)));
                arns.addAll(page.clusterArns());
                token = page.nextToken();
                pages++;
            } while (token != null && pages < MAX_PAGES);
            ctx.progress().report(1, 2.0, "listed " + arns.size() + " clusters");
            ObjectNode out = result(t);
            ArrayNode list = out.putArray("clusters");
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < arns.size(); i += 100) {
                List<String> batch = arns.subList(i, Math.min(arns.size(), i + 100));
                DescribeClustersResponse r = t.call(AwsAction.ECS_DESCRIBE_CLUSTERS, "clusters",
                        () -> t.ecs().describeClusters(b -> b.clusters(batch)));
                for (Cluster c : r.clusters()) {
                    ObjectNode n = list.addObject();
                    n.put("name", c.clusterName());
                    n.put("arn", c.clusterArn());
                    n.put("status", c.status());
                    n.put("active_services", c.activeServicesCount());
                    n.put("running_tasks", c.runningTasksCount());
                    n.put("pending_tasks", c.pendingTasksCount());
                    n.put("container_instances", c.registeredContainerInstancesCount());
                    rows.add(Text.row(c.clusterName(), c.status(), Text.str(c.activeServicesCount()),
                            Text.str(c.runningTasksCount()), Text.str(c.pendingTasksCount()),
                            Text.str(c.registeredContainerInstancesCount())));
                }
            }
            ctx.progress().report(2, 2.0, "described clusters");
            out.put("truncated", token != null);
            String text = list.size() + " cluster(s) in " + t.where() + (token != null ? " (more exist)" : "") + "\n"
                    + Text.table(List.of("CLUSTER", "STATUS", "SERVICES", "RUNNING", "PENDING", "INSTANCES"), rows);
            return ToolResult.ok(text, out);
        }
    }

    /** {@code ecs_list_services}. */
    static final class ListServices extends AwsTool {

        ListServices(Accounts accounts) {
            super(accounts);
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode in = Schemas.scoped();
            in.set("cluster", JsonSchemas.pattern("ECS cluster name or ARN.", Args.CLUSTER, 2048));
            ObjectNode item = JsonSchemas.properties();
            item.set("name", JsonSchemas.type("string", "service name"));
            item.set("status", JsonSchemas.type("string", "ACTIVE, DRAINING, INACTIVE"));
            item.set("desired", JsonSchemas.type("integer", "desired tasks"));
            item.set("running", JsonSchemas.type("integer", "running tasks"));
            item.set("pending", JsonSchemas.type("integer", "pending tasks"));
            item.set("task_definition", JsonSchemas.type("string", "family:revision"));
            item.set("rollout_state", JsonSchemas.nullable("string", "primary deployment rollout state"));
            item.set("deployments", JsonSchemas.type("integer", "number of deployments"));
            ObjectNode out = Schemas.scopedOutput();
            out.set("cluster", JsonSchemas.type("string", "cluster"));
            out.set("services", JsonSchemas.arrayOf(JsonSchemas.output(item, "name", "status", "desired", "running"),
                    "services"));
            out.set("truncated", JsonSchemas.type("boolean", "more services exist than were listed (1000 max)"));
            return new ToolDefinition("ecs_list_services", "ECS services of a cluster",
                    "Lists the services of an ECS cluster with desired/running/pending counts, task definition and "
                            + "rollout state. Services where running < desired are marked.",
                    JsonSchemas.input(in, "cluster"), JsonSchemas.output(out, "account", "region", "cluster",
                            "services"),
                    ToolAnnotations.readOnly());
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            String cluster = Args.cluster(args);
            return descriptor(accounts.resolve(args), "ecs:cluster", shortName(cluster), cluster, null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            String cluster = Args.cluster(args);
            List<String> arns = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String next = token;
                ListServicesResponse page = t.call(AwsAction.ECS_LIST_SERVICES, "services of cluster " + cluster,
                        () -> t.ecs().listServices(b -> b.cluster(cluster).nextToken(next).maxResults(100)));
                arns.addAll(page.serviceArns());
                token = page.nextToken();
                pages++;
            } while (token != null && pages < MAX_PAGES);
            int batches = (arns.size() + 9) / 10;
            ctx.progress().report(0, (double) batches, "listed " + arns.size() + " services");
            ObjectNode out = result(t);
            out.put("cluster", shortName(cluster));
            ArrayNode list = out.putArray("services");
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < arns.size(); i += 10) {
                List<String> batch = arns.subList(i, Math.min(arns.size(), i + 10));
                DescribeServicesResponse r = t.call(AwsAction.ECS_DESCRIBE_SERVICES, "services of cluster " + cluster,
                        () -> t.ecs().describeServices(b -> b.cluster(cluster).services(batch)));
                for (Service s : r.services()) {
                    Deployment primary = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
                            .findFirst().orElse(null);
                    ObjectNode n = list.addObject();
                    n.put("name", s.serviceName());
                    n.put("status", s.status());
                    n.put("desired", s.desiredCount());
                    n.put("running", s.runningCount());
                    n.put("pending", s.pendingCount());
                    n.put("task_definition", Ecs.familyRevision(Ecs.currentTaskDefinition(s)));
                    n.put("launch_type", s.launchTypeAsString());
                    n.put("rollout_state", primary == null ? null : primary.rolloutStateAsString());
                    n.put("deployments", s.deployments().size());
                    String mark = s.runningCount() < s.desiredCount() ? " !" : "";
                    rows.add(Text.row(s.serviceName(), s.status(), s.desiredCount() + "/" + s.runningCount() + "/"
                                    + s.pendingCount() + mark, Ecs.familyRevision(Ecs.currentTaskDefinition(s)),
                            primary == null ? "-" : Text.str(primary.rolloutStateAsString()),
                            String.valueOf(s.deployments().size())));
                }
                ctx.progress().report(i / 10 + 1, (double) batches, "described services");
            }
            out.put("truncated", token != null);
            String text = list.size() + " service(s) in cluster " + shortName(cluster) + " (" + t.where() + ")"
                    + (token != null ? " (more exist)" : "") + "\n"
                    + Text.table(List.of("SERVICE", "STATUS", "DES/RUN/PEND", "TASK DEF", "ROLLOUT", "DEPLOYMENTS"), rows);
            return ToolResult.ok(text, out);
        }
    }

    /** {@code ecs_service_health}. */
    static final class ServiceHealth extends AwsTool {

        private final EcsServiceTools family;

        ServiceHealth(Accounts accounts, EcsServiceTools family) {
            super(accounts);
            this.family = family;
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode in = Schemas.service();
            in.set("events", JsonSchemas.integer("How many of the newest service events to examine.", 1, 100, 50));
            ObjectNode out = Schemas.scopedOutput();
            out.set("cluster", JsonSchemas.type("string", "cluster"));
            out.set("service", JsonSchemas.type("string", "service"));
            out.set("desired", JsonSchemas.type("integer", "desired tasks"));
            out.set("running", JsonSchemas.type("integer", "running tasks"));
            out.set("pending", JsonSchemas.type("integer", "pending tasks"));
            out.set("task_definition", JsonSchemas.type("string", "family:revision of the service"));
            out.set("deployments", JsonSchemas.arrayOf(JsonSchemas.type("object",
                    "id, status, task_definition, desired, running, pending, failed_tasks, rollout_state, "
                            + "rollout_state_reason, created_at, updated_at"), "deployments"));
            out.set("circuit_breaker", JsonSchemas.type("object", "enabled, rollback"));
            out.set("events", JsonSchemas.type("object", "examined, latest_class, groups[] (class, reason for "
                    + "cannot_place: memory|cpu|ports|eni|capacity|other, count, first_at, last_at, latest_message)"));
            out.set("load_balancers", JsonSchemas.arrayOf(JsonSchemas.type("object",
                    "target_group_arn, container_name, container_port, healthy, unhealthy, targets[] (id, port, "
                            + "state, reason, description)"), "load balancers with per-target health"));
            out.set("verdict", JsonSchemas.enumeration("overall verdict", List.of("healthy", "deploying", "degraded",
                    "failing"), "healthy"));
            out.set("verdict_reasons", JsonSchemas.arrayOf(JsonSchemas.type("string", "reason"), "why"));
            return new ToolDefinition("ecs_service_health", "ECS service health",
                    "Health of one ECS service: desired/running/pending tasks, each deployment (task definition, "
                            + "rollout state and reason, failed tasks, circuit breaker), the newest service events "
                            + "grouped and classified (cannot place task with the reason, unhealthy in target group, "
                            + "deployment failed/rolled back, steady state), per-target health in its target groups "
                            + "with ELB reason codes, and a verdict (healthy, deploying, degraded, failing).",
                    JsonSchemas.input(in, "cluster", "service"),
                    JsonSchemas.output(out, "account", "region", "cluster", "service", "verdict", "deployments",
                            "events"),
                    ToolAnnotations.readOnly());
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            ObjectNode h = family.health(t, Args.cluster(args), Args.service(args),
                    Args.integer(args, "events", 1, 100, 50), ctx, Instant.now());
            return ToolResult.ok(healthText(h), h);
        }
    }
}
