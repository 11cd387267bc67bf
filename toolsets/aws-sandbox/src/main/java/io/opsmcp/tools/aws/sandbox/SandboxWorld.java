package io.opsmcp.tools.aws.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state of the simulated AWS account: cluster {@value #CLUSTER} with services {@code checkout} (tasks killed
 * for memory: exit 137, 512 MiB), {@code catalog} (healthy), {@code payments} (image pull failure on its newest
 * revision) and {@code search} (healthy, with a very large log group for bounded-memory checks). Payload shapes
 * follow the ECS API reference (botocore {@code ecs/2014-11-13/service-2.json}).
 *
 * <p>Stateful: RegisterTaskDefinition adds revisions; UpdateService starts a deployment that the next
 * DescribeServices calls move to COMPLETED (when the new revision fixes the problem: checkout with at least
 * {@value #CHECKOUT_MEMORY_NEEDED} MiB, payments with a pullable image) or FAILED. Thread-safe: every public
 * method is synchronized.
 *
 * <p>Deployment origin: checkout's running revision {@code shop-checkout:2} runs image tag
 * {@value #CHECKOUT_IMAGE_TAG} (a short commit sha) and carries the tags {@code gitlab.project},
 * {@code gitlab.commit} and {@code gitlab.pipeline} (the convention of toolsets/deployments); the service carries
 * {@code gitlab.project}. The commit, its pipeline and merge request exist in the GitLab sandbox
 * (toolsets/gitlab {@code GitLabSandbox}: project shop/checkout, pipeline 1001, MR !6).
 */
final class SandboxWorld {

    static final String ACCOUNT_ID = "111122223333";
    static final String REGION = "eu-west-1";
    static final String CLUSTER = "shop";
    static final int CHECKOUT_MEMORY_NEEDED = 1024;
    static final String BAD_IMAGE_TAG = "2.0.0-rc1";
    /** GitLab project of checkout's source in the GitLab sandbox. */
    static final String CHECKOUT_PROJECT = "shop/checkout";
    /** The commit checkout's running revision was built from (GitLabSandbox's commit of pipeline 1001). */
    static final String CHECKOUT_COMMIT = "9f2c1e4ab0d3c6e7f8a9b0c1d2e3f4a5b6c7d8e9";
    /** The GitLab pipeline that built and deployed it. */
    static final String CHECKOUT_PIPELINE = "1001";
    /** checkout's running image tag: the commit's short sha, as CI_COMMIT_SHORT_SHA gives it. */
    static final String CHECKOUT_IMAGE_TAG = "9f2c1e4a";

    static final String CHECKOUT_STACK = "shop-checkout";
    /** DescribeServices calls a deployment stays IN_PROGRESS before it settles. */
    static final int ROLLOUT_POLLS = 2;

    static final String ECS_ARN = "arn:aws:ecs:" + REGION + ":" + ACCOUNT_ID + ":";
    static final String ELB_ARN = "arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT_ID + ":";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A service's mutable state. */
    static final class Svc {
        final String name;
        final int port;
        final String targetGroupArn;
        final String loadBalancerArn;
        int desired;
        int running;
        int pending;
        String taskDefinition;
        Integer grace;
        final List<ObjectNode> deployments = new ArrayList<>();
        final List<ObjectNode> events = new ArrayList<>();
        final List<ObjectNode> stoppedTasks = new ArrayList<>();
        final List<String[]> targets = new ArrayList<>();
        /** Resource tags ({@code [{key, value}]}, ECS JSON shape). */
        final ArrayNode tags = JSON.arrayNode();

        int rolloutPolls = -1;
        Instant fixedAt;
        final long logEvents;

        Svc(String name, int port, long logEvents) {
            this.name = name;
            this.port = port;
            this.targetGroupArn = ELB_ARN + "targetgroup/shop-" + name + "/" + hex(name, 16);
            this.loadBalancerArn = ELB_ARN + "loadbalancer/app/shop-" + name + "-alb/" + hex(name + "-alb", 16);
            this.logEvents = logEvents;
        }
    }

    private final Map<String, List<ObjectNode>> taskDefinitions = new LinkedHashMap<>();
    /** Tags of task definition revisions by {@code family:revision} (DescribeTaskDefinition returns them apart). */
    private final Map<String, ArrayNode> taskDefinitionTags = new LinkedHashMap<>();

    private final Map<String, Svc> services = new LinkedHashMap<>();
    private final Instant started;
    private int sequence;

    SandboxWorld(Instant now, long searchLogEvents) {
        this.started = now;
        register(taskDefinition("shop-checkout", "checkout", "checkout:1.8.1", 512, 256, 8080));
        ObjectNode checkoutRev2 =
                taskDefinition("shop-checkout", "checkout", "checkout:" + CHECKOUT_IMAGE_TAG, 512, 256, 8080);
        ArrayNode rev2Tags = checkoutRev2.putArray("tags");
        rev2Tags.addObject().put("key", "gitlab.project").put("value", CHECKOUT_PROJECT);
        rev2Tags.addObject().put("key", "gitlab.commit").put("value", CHECKOUT_COMMIT);
        rev2Tags.addObject().put("key", "gitlab.pipeline").put("value", CHECKOUT_PIPELINE);
        register(checkoutRev2);
        register(taskDefinition("shop-catalog", "catalog", "catalog:3.2.0", 1024, 256, 8080));
        register(taskDefinition("shop-payments", "payments", "payments:1.9.4", 1024, 512, 8080));
        register(taskDefinition("shop-payments", "payments", "payments:" + BAD_IMAGE_TAG, 1024, 512, 8080));
        register(taskDefinition("shop-search", "search", "search:5.0.3", 2048, 1024, 8080));

        Svc checkout = service("checkout", "shop-checkout:2", 4, 3, 60, 180);
        checkout.tags.addObject().put("key", "gitlab.project").put("value", CHECKOUT_PROJECT);
        // checkout is managed by a CloudFormation stack (whose last update completed): ecs_troubleshoot reads its
        // events
        checkout.tags.addObject().put("key", "aws:cloudformation:stack-name").put("value", CHECKOUT_STACK);
        deployment(
                checkout,
                "PRIMARY",
                "shop-checkout:2",
                4,
                3,
                0,
                7,
                "COMPLETED",
                "ECS deployment ecs-svc/" + id("checkout-dep") + " completed.",
                now.minus(Duration.ofHours(3)));
        for (int i = 0; i < 7; i++) {
            stopped(
                    checkout,
                    "shop-checkout:2",
                    now.minus(Duration.ofMinutes(6 + i * 8L)),
                    "EssentialContainerExited",
                    "Essential container in task exited",
                    "checkout",
                    137,
                    "OutOfMemoryError: Container killed due to memory usage");
        }
        stopped(
                checkout,
                "shop-checkout:1",
                now.minus(Duration.ofMinutes(190)),
                "ServiceSchedulerInitiated",
                "Scaling activity initiated by (deployment ecs-svc/" + id("checkout-old") + ")",
                "checkout",
                143,
                null);
        for (int i = 0; i < 7; i++) {
            event(
                    checkout,
                    now.minus(Duration.ofMinutes(5 + i * 8L)),
                    "(service checkout) has started 1 tasks: (task " + id("checkout-task-" + i) + ").");
        }
        event(
                checkout,
                now.minus(Duration.ofMinutes(9)),
                "(service checkout) (port 8080) is unhealthy in (target-group " + checkout.targetGroupArn
                        + ") due to (reason Health checks failed with these codes: [502]).");
        event(checkout, now.minus(Duration.ofMinutes(200)), "(service checkout) has reached a steady state.");
        checkout.targets.add(new String[] {"10.0.1.21", "healthy", null, null});
        checkout.targets.add(new String[] {"10.0.2.34", "healthy", null, null});
        checkout.targets.add(new String[] {
            "10.0.1.57", "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]"
        });

        Svc catalog = service("catalog", "shop-catalog:1", 3, 3, 60, 120);
        deployment(
                catalog,
                "PRIMARY",
                "shop-catalog:1",
                3,
                3,
                0,
                0,
                "COMPLETED",
                "ECS deployment ecs-svc/" + id("catalog-dep") + " completed.",
                now.minus(Duration.ofDays(2)));
        stopped(
                catalog,
                "shop-catalog:1",
                now.minus(Duration.ofMinutes(40)),
                "ServiceSchedulerInitiated",
                "Scaling activity initiated by (deployment ecs-svc/" + id("catalog-dep") + ")",
                "catalog",
                0,
                null);
        event(catalog, now.minus(Duration.ofMinutes(30)), "(service catalog) has reached a steady state.");
        event(catalog, now.minus(Duration.ofHours(6)), "(service catalog) has reached a steady state.");
        for (int i = 0; i < 3; i++) {
            catalog.targets.add(new String[] {"10.0." + (1 + i % 2) + "." + (40 + i), "healthy", null, null});
        }

        Svc payments = service("payments", "shop-payments:2", 2, 2, 60, 120);
        deployment(
                payments,
                "PRIMARY",
                "shop-payments:2",
                2,
                0,
                0,
                6,
                "FAILED",
                "ECS deployment circuit breaker: tasks failed to start.",
                now.minus(Duration.ofMinutes(50)));
        deployment(
                payments,
                "ACTIVE",
                "shop-payments:1",
                2,
                2,
                0,
                0,
                "COMPLETED",
                "ECS deployment ecs-svc/" + id("payments-old") + " completed.",
                now.minus(Duration.ofDays(5)));
        for (int i = 0; i < 6; i++) {
            stopped(
                    payments,
                    "shop-payments:2",
                    now.minus(Duration.ofMinutes(12 + i * 6L)),
                    "TaskFailedToStart",
                    "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "
                            + image("payments:" + BAD_IMAGE_TAG) + ": " + image("payments:" + BAD_IMAGE_TAG)
                            + ": not found",
                    "payments",
                    null,
                    null);
        }
        event(
                payments,
                now.minus(Duration.ofMinutes(10)),
                "(service payments) (deployment ecs-svc/" + id("payments-dep")
                        + ") deployment failed: tasks failed to start.");
        for (int i = 0; i < 3; i++) {
            event(
                    payments,
                    now.minus(Duration.ofMinutes(15 + i * 10L)),
                    "(service payments) has started 1 tasks: (task " + id("payments-task-" + i) + ").");
        }
        payments.targets.add(new String[] {"10.0.1.71", "healthy", null, null});
        payments.targets.add(new String[] {"10.0.2.72", "healthy", null, null});

        Svc search = service("search", "shop-search:1", 2, 2, 60, searchLogEvents);
        deployment(
                search,
                "PRIMARY",
                "shop-search:1",
                2,
                2,
                0,
                0,
                "COMPLETED",
                "ECS deployment ecs-svc/" + id("search-dep") + " completed.",
                now.minus(Duration.ofDays(1)));
        event(search, now.minus(Duration.ofMinutes(20)), "(service search) has reached a steady state.");
        search.targets.add(new String[] {"10.0.1.81", "healthy", null, null});
        search.targets.add(new String[] {"10.0.2.82", "healthy", null, null});
    }

    // ---- queries used by the protocol front ends -------------------------------------------------------------

    synchronized List<Svc> services() {
        return List.copyOf(services.values());
    }

    synchronized Svc service(String nameOrArn) {
        return services.get(shortName(nameOrArn));
    }

    synchronized Svc serviceByTargetGroup(String targetGroupArnOrDimension) {
        return services.values().stream()
                .filter(s -> s.targetGroupArn.equals(targetGroupArnOrDimension)
                        || s.targetGroupArn.endsWith(":" + targetGroupArnOrDimension))
                .findFirst()
                .orElse(null);
    }

    /** The service behind a load balancer, by its CloudWatch dimension {@code app/NAME/ID}. */
    synchronized Svc serviceByLoadBalancer(String dimension) {
        return services.values().stream()
                .filter(s -> s.loadBalancerArn.endsWith("/" + dimension))
                .findFirst()
                .orElse(null);
    }

    /** The service's JSON (DescribeServices shape); advances a rollout in progress. */
    synchronized ObjectNode describeService(Svc s, Instant now) {
        advance(s, now);
        ObjectNode n = JSON.objectNode();
        n.put("serviceArn", ECS_ARN + "service/" + CLUSTER + "/" + s.name);
        n.put("serviceName", s.name);
        n.put("clusterArn", ECS_ARN + "cluster/" + CLUSTER);
        ArrayNode lbs = n.putArray("loadBalancers");
        lbs.addObject()
                .put("targetGroupArn", s.targetGroupArn)
                .put("containerName", s.name)
                .put("containerPort", s.port);
        n.put("status", "ACTIVE");
        n.put("desiredCount", s.desired);
        n.put("runningCount", s.running);
        n.put("pendingCount", s.pending);
        n.put("launchType", "FARGATE");
        n.put("platformVersion", "LATEST");
        n.put("taskDefinition", ECS_ARN + "task-definition/" + s.taskDefinition);
        ObjectNode dc = n.putObject("deploymentConfiguration");
        dc.putObject("deploymentCircuitBreaker").put("enable", true).put("rollback", false);
        dc.put("maximumPercent", 200);
        dc.put("minimumHealthyPercent", 100);
        ArrayNode ds = n.putArray("deployments");
        s.deployments.forEach(d -> ds.add(d.deepCopy()));
        ArrayNode ev = n.putArray("events");
        s.events.stream().limit(100).forEach(e -> ev.add(e.deepCopy()));
        n.put("createdAt", epoch(started.minus(Duration.ofDays(30))));
        ObjectNode nc = n.putObject("networkConfiguration").putObject("awsvpcConfiguration");
        nc.putArray("subnets").add("subnet-0a1b2c3d4e5f60718").add("subnet-0b2c3d4e5f6071829");
        nc.putArray("securityGroups").add("sg-0123456789abcdef0");
        nc.put("assignPublicIp", "DISABLED");
        if (s.grace != null) {
            n.put("healthCheckGracePeriodSeconds", s.grace);
        }
        n.put("schedulingStrategy", "REPLICA");
        return n;
    }

    synchronized List<ObjectNode> stoppedTasks(Svc s) {
        return List.copyOf(s.stoppedTasks);
    }

    synchronized ObjectNode stoppedTask(String arnOrId) {
        for (Svc s : services.values()) {
            for (ObjectNode t : s.stoppedTasks) {
                if (t.get("taskArn").asString().equals(arnOrId)
                        || t.get("taskArn").asString().endsWith("/" + arnOrId)) {
                    return t;
                }
            }
        }
        return null;
    }

    /** The task definition for family, family:revision or ARN (latest ACTIVE for a family), or null. */
    synchronized ObjectNode taskDefinition(String ref) {
        String r = shortName(ref);
        int colon = r.lastIndexOf(':');
        String family = colon < 0 ? r : r.substring(0, colon);
        List<ObjectNode> revs = taskDefinitions.get(family);
        if (revs == null) {
            return null;
        }
        if (colon < 0) {
            return revs.get(revs.size() - 1);
        }
        int rev;
        try {
            rev = Integer.parseInt(r.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        return rev >= 1 && rev <= revs.size() ? revs.get(rev - 1) : null;
    }

    /** The tags of a task definition revision (DescribeTaskDefinition with {@code include: [TAGS]}). */
    synchronized ArrayNode taskDefinitionTags(ObjectNode taskDefinition) {
        ArrayNode tags = taskDefinitionTags.get(taskDefinition.get("family").asString() + ":"
                + taskDefinition.get("revision").asInt());
        return tags == null ? JSON.arrayNode() : tags.deepCopy();
    }

    /** The tags of a service (DescribeServices with {@code include: [TAGS]}). */
    synchronized ArrayNode serviceTags(Svc s) {
        return s.tags.deepCopy();
    }

    synchronized List<String> taskDefinitionArns(String familyPrefix) {
        List<String> out = new ArrayList<>();
        taskDefinitions.forEach((family, revs) -> {
            if (familyPrefix == null || family.startsWith(familyPrefix)) {
                revs.forEach(td -> out.add(td.get("taskDefinitionArn").asString()));
            }
        });
        return out;
    }

    synchronized List<String[]> targets(Svc s) {
        return List.copyOf(s.targets);
    }

    synchronized Instant fixedAt(Svc s) {
        return s.fixedAt;
    }

    // ---- mutations --------------------------------------------------------------------------------------------

    /**
     * RegisterTaskDefinition: stores a new revision of the request's family and returns it; the request's
     * {@code tags} are kept apart, as ECS returns them only when asked.
     */
    synchronized ObjectNode register(ObjectNode request) {
        String family = request.get("family").asString();
        List<ObjectNode> revs = taskDefinitions.computeIfAbsent(family, k -> new ArrayList<>());
        ObjectNode td = request.deepCopy();
        JsonNode tags = td.remove("tags");
        if (tags != null && tags.isArray() && !tags.isEmpty()) {
            taskDefinitionTags.put(family + ":" + (revs.size() + 1), (ArrayNode) tags);
        }
        td.put("revision", revs.size() + 1);
        td.put("taskDefinitionArn", ECS_ARN + "task-definition/" + family + ":" + (revs.size() + 1));
        td.put("status", "ACTIVE");
        td.put("registeredAt", epoch(Instant.now()));
        revs.add(td);
        return td;
    }

    /**
     * UpdateService: desired count, task definition, force new deployment, grace period.
     *
     * @return null when the task definition does not exist
     */
    synchronized Svc update(Svc s, JsonNode request, Instant now) {
        if (request.has("healthCheckGracePeriodSeconds")) {
            s.grace = request.get("healthCheckGracePeriodSeconds").asInt();
        }
        if (request.has("desiredCount")) {
            s.desired = request.get("desiredCount").asInt();
            s.deployments.stream()
                    .filter(d -> "PRIMARY".equals(d.get("status").asString()))
                    .findFirst()
                    .ifPresent(d -> d.put("desiredCount", s.desired));
            if (s.rolloutPolls < 0) {
                s.rolloutPolls = 1;
            }
        }
        String newTd = null;
        if (request.has("taskDefinition")) {
            ObjectNode td = taskDefinition(request.get("taskDefinition").asString());
            if (td == null) {
                return null;
            }
            newTd = td.get("family").asString() + ":" + td.get("revision").asInt();
        }
        boolean force = request.path("forceNewDeployment").asBoolean(false);
        if (newTd != null && !newTd.equals(s.taskDefinition) || force) {
            String td = newTd == null ? s.taskDefinition : newTd;
            s.deployments.removeIf(d -> !"PRIMARY".equals(d.get("status").asString()));
            s.deployments.forEach(d -> d.put("status", "ACTIVE"));
            deployment(
                    s,
                    "PRIMARY",
                    td,
                    s.desired,
                    0,
                    s.desired,
                    0,
                    "IN_PROGRESS",
                    "ECS deployment ecs-svc/" + id(s.name + "-" + sequence) + " in progress.",
                    now);
            s.deployments.add(0, s.deployments.remove(s.deployments.size() - 1));
            s.taskDefinition = td;
            s.pending = s.desired;
            s.rolloutPolls = ROLLOUT_POLLS;
            event(
                    s,
                    now,
                    "(service " + s.name + ") has started " + s.desired + " tasks: (task "
                            + id(s.name + "-new-" + sequence) + ").");
        }
        return s;
    }

    private void advance(Svc s, Instant now) {
        if (s.rolloutPolls < 0) {
            return;
        }
        if (s.rolloutPolls > 0) {
            s.rolloutPolls--;
            ObjectNode primary = primary(s);
            if (primary != null
                    && "IN_PROGRESS".equals(primary.path("rolloutState").asString(""))) {
                primary.put("runningCount", Math.max(0, s.desired / 2));
                primary.put("pendingCount", s.desired - Math.max(0, s.desired / 2));
            }
            return;
        }
        s.rolloutPolls = -1;
        ObjectNode primary = primary(s);
        boolean rollingOut = primary != null
                && "IN_PROGRESS".equals(primary.path("rolloutState").asString(""));
        if (!rollingOut) {
            s.running = s.desired;
            s.pending = 0;
            if (primary != null) {
                primary.put("runningCount", s.desired).put("pendingCount", 0).put("desiredCount", s.desired);
            }
            event(s, now, "(service " + s.name + ") has reached a steady state.");
            return;
        }
        if (fixes(s, s.taskDefinition)) {
            s.deployments.removeIf(d -> d != primary);
            primary.put("rolloutState", "COMPLETED");
            primary.put(
                    "rolloutStateReason", "ECS deployment " + primary.get("id").asString() + " completed.");
            primary.put("runningCount", s.desired).put("pendingCount", 0).put("failedTasks", 0);
            primary.put("updatedAt", epoch(now));
            s.running = s.desired;
            s.pending = 0;
            s.fixedAt = now;
            s.targets.replaceAll(t -> new String[] {t[0], "healthy", null, null});
            event(
                    s,
                    now,
                    "(service " + s.name + ") (deployment " + primary.get("id").asString() + ") deployment completed.");
            event(s, now, "(service " + s.name + ") has reached a steady state.");
        } else {
            primary.put("rolloutState", "FAILED");
            primary.put("rolloutStateReason", "ECS deployment circuit breaker: tasks failed to start.");
            primary.put("failedTasks", 3).put("runningCount", 0).put("pendingCount", 0);
            primary.put("updatedAt", epoch(now));
            s.pending = 0;
            for (int i = 0; i < 3; i++) {
                if ("checkout".equals(s.name)) {
                    stopped(
                            s,
                            s.taskDefinition,
                            now.minusSeconds(i),
                            "EssentialContainerExited",
                            "Essential container in task exited",
                            "checkout",
                            137,
                            "OutOfMemoryError: Container killed due to memory usage");
                } else {
                    stopped(
                            s,
                            s.taskDefinition,
                            now.minusSeconds(i),
                            "TaskFailedToStart",
                            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
                                    + "resolve ref " + imageOf(s.taskDefinition) + ": not found",
                            s.name,
                            null,
                            null);
                }
            }
            event(
                    s,
                    now,
                    "(service " + s.name + ") (deployment " + primary.get("id").asString()
                            + ") deployment failed: tasks failed to start.");
        }
    }

    /** Whether a revision fixes the service's simulated problem. */
    private boolean fixes(Svc s, String revision) {
        ObjectNode td = taskDefinition(revision);
        JsonNode c = td.get("containerDefinitions").get(0);
        return switch (s.name) {
            case "checkout" -> c.path("memory").asInt(0) >= CHECKOUT_MEMORY_NEEDED;
            case "payments" -> !c.path("image").asString("").endsWith(BAD_IMAGE_TAG);
            default -> true;
        };
    }

    private String imageOf(String revision) {
        return taskDefinition(revision)
                .get("containerDefinitions")
                .get(0)
                .path("image")
                .asString("");
    }

    private static ObjectNode primary(Svc s) {
        return s.deployments.stream()
                .filter(d -> "PRIMARY".equals(d.get("status").asString()))
                .findFirst()
                .orElse(null);
    }

    // ---- construction helpers --------------------------------------------------------------------------------

    private Svc service(String name, String td, int desired, int running, int grace, long logEvents) {
        Svc s = new Svc(name, 8080, logEvents);
        s.taskDefinition = td;
        s.desired = desired;
        s.running = running;
        s.grace = grace;
        services.put(name, s);
        return s;
    }

    private void deployment(
            Svc s,
            String status,
            String td,
            int desired,
            int running,
            int pending,
            int failed,
            String rollout,
            String reason,
            Instant created) {
        ObjectNode d = JSON.objectNode();
        d.put("id", "ecs-svc/" + id(s.name + "-deployment-" + (++sequence)));
        d.put("status", status);
        d.put("taskDefinition", ECS_ARN + "task-definition/" + td);
        d.put("desiredCount", desired);
        d.put("pendingCount", pending);
        d.put("runningCount", running);
        d.put("failedTasks", failed);
        d.put("createdAt", epoch(created));
        d.put("updatedAt", epoch(created.plus(Duration.ofMinutes(4))));
        d.put("launchType", "FARGATE");
        d.put("rolloutState", rollout);
        d.put("rolloutStateReason", reason);
        s.deployments.add(d);
    }

    private void event(Svc s, Instant at, String message) {
        ObjectNode e = JSON.objectNode();
        e.put("id", uuid(s.name + "-event-" + (++sequence)));
        e.put("createdAt", epoch(at));
        e.put("message", message);
        s.events.add(e);
        s.events.sort((a, b) ->
                Double.compare(b.get("createdAt").asDouble(), a.get("createdAt").asDouble()));
    }

    private void stopped(
            Svc s,
            String td,
            Instant at,
            String stopCode,
            String reason,
            String container,
            Integer exitCode,
            String containerReason) {
        String taskId = hex(s.name + "-stopped-" + (++sequence), 32);
        ObjectNode t = JSON.objectNode();
        t.put("taskArn", ECS_ARN + "task/" + CLUSTER + "/" + taskId);
        t.put("clusterArn", ECS_ARN + "cluster/" + CLUSTER);
        t.put("taskDefinitionArn", ECS_ARN + "task-definition/" + td);
        t.put("group", "service:" + s.name);
        t.put("lastStatus", "STOPPED");
        t.put("desiredStatus", "STOPPED");
        t.put("launchType", "FARGATE");
        t.put("createdAt", epoch(at.minus(Duration.ofMinutes(7))));
        t.put("startedAt", epoch(at.minus(Duration.ofMinutes(6))));
        t.put("stoppingAt", epoch(at.minusSeconds(5)));
        t.put("stoppedAt", epoch(at));
        t.put("stopCode", stopCode);
        t.put("stoppedReason", reason);
        ArrayNode cs = t.putArray("containers");
        ObjectNode c = cs.addObject();
        c.put("containerArn", ECS_ARN + "container/" + CLUSTER + "/" + taskId + "/" + uuid(taskId));
        c.put("taskArn", t.get("taskArn").asString());
        c.put("name", container);
        ObjectNode tdNode = taskDefinition(td);
        c.put(
                "image",
                tdNode == null
                        ? image(container)
                        : tdNode.get("containerDefinitions").get(0).get("image").asString());
        c.put("lastStatus", "STOPPED");
        if (exitCode != null) {
            c.put("exitCode", exitCode);
        }
        if (containerReason != null) {
            c.put("reason", containerReason);
        } else if ("TaskFailedToStart".equals(stopCode)) {
            c.put("reason", reason);
        }
        s.stoppedTasks.add(t);
        s.stoppedTasks.sort((a, b) ->
                Double.compare(b.get("stoppedAt").asDouble(), a.get("stoppedAt").asDouble()));
    }

    private static ObjectNode taskDefinition(
            String family, String container, String imageTag, int memory, int cpu, int port) {
        ObjectNode td = JSON.objectNode();
        td.put("family", family);
        td.put("taskRoleArn", "arn:aws:iam::" + ACCOUNT_ID + ":role/" + family + "-task");
        td.put("executionRoleArn", "arn:aws:iam::" + ACCOUNT_ID + ":role/ecsTaskExecutionRole");
        td.put("networkMode", "awsvpc");
        td.putArray("requiresCompatibilities").add("FARGATE");
        td.put("cpu", String.valueOf(cpu));
        td.put("memory", String.valueOf(memory));
        ArrayNode defs = td.putArray("containerDefinitions");
        ObjectNode c = defs.addObject();
        c.put("name", container);
        c.put("image", image(imageTag));
        c.put("cpu", cpu);
        c.put("memory", memory);
        c.put("essential", true);
        c.putArray("portMappings")
                .addObject()
                .put("containerPort", port)
                .put("hostPort", port)
                .put("protocol", "tcp");
        ArrayNode env = c.putArray("environment");
        env.addObject().put("name", "DB_HOST").put("value", container + "-db.internal");
        env.addObject().put("name", "DB_PASSWORD").put("value", "sandbox-not-a-secret");
        env.addObject().put("name", "JAVA_OPTS").put("value", "-XX:MaxRAMPercentage=90");
        c.putArray("secrets")
                .addObject()
                .put("name", "API_TOKEN")
                .put(
                        "valueFrom",
                        "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT_ID + ":secret:shop/" + container
                                + "/api-token-Ab12Cd");
        ObjectNode hc = c.putObject("healthCheck");
        hc.putArray("command").add("CMD-SHELL").add("curl -fs http://localhost:" + port + "/health || exit 1");
        hc.put("interval", 30).put("timeout", 5).put("retries", 3).put("startPeriod", 30);
        ObjectNode log = c.putObject("logConfiguration");
        log.put("logDriver", "awslogs");
        log.putObject("options")
                .put("awslogs-group", "/ecs/shop/" + container)
                .put("awslogs-region", REGION)
                .put("awslogs-stream-prefix", "ecs");
        return td;
    }

    static String image(String nameTag) {
        return ACCOUNT_ID + ".dkr.ecr." + REGION + ".amazonaws.com/" + nameTag;
    }

    static double epoch(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    static String shortName(String nameOrArn) {
        int slash = nameOrArn.lastIndexOf('/');
        return slash < 0 ? nameOrArn : nameOrArn.substring(slash + 1);
    }

    /** A deterministic lower-case hex string of the given length derived from a seed. */
    static String hex(String seed, int length) {
        StringBuilder sb = new StringBuilder();
        long h = seed.hashCode() * 0x9E3779B97F4A7C15L;
        while (sb.length() < length) {
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            sb.append(Long.toHexString(h & 0xF));
        }
        return sb.toString();
    }

    static String id(String seed) {
        return hex(seed, 32);
    }

    static String uuid(String seed) {
        String h = hex(seed, 32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }
}
