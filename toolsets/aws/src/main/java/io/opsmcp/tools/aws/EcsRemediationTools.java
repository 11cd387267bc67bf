package io.opsmcp.tools.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mutating ECS remediations: {@code ecs_scale_service}, {@code ecs_force_new_deployment},
 * {@code ecs_rollback_service}, {@code ecs_update_task_resources}, {@code ecs_update_health_check_grace_period}.
 * Each plans first (reads the current state, builds the change preview and the exact API requests);
 * {@code describe} returns the preview for the policy guard, {@code dry_run: true} returns preview and requests
 * and sends nothing. After a real change the tool polls DescribeServices (bounded by {@code wait_seconds} and
 * the call's deadline, with progress notifications) until the deployment is steady or failed.
 */
final class EcsRemediationTools {

    static final int DEFAULT_WAIT_SECONDS = 600;
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(3);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Accounts accounts;

    EcsRemediationTools(Accounts accounts) {
        this.accounts = accounts;
    }

    List<OpsTool> tools() {
        return List.of(new Scale(accounts), new ForceNewDeployment(accounts), new Rollback(accounts),
                new UpdateTaskResources(accounts), new GracePeriod(accounts));
    }

    /** One API request a change sends, as the service receives it. */
    record ApiRequest(AwsAction action, ObjectNode parameters) {
    }

    /** What a call would do: the preview, the requests, and what the tool needs to send them. */
    record Plan(ChangePreview preview, List<ApiRequest> requests, Service service, Object payload,
                boolean startsDeployment) {
    }

    /** The shared flow of every mutating tool. */
    abstract static class MutatingTool extends AwsTool {

        MutatingTool(Accounts accounts) {
            super(accounts);
        }

        /** Reads the current state and plans the change; sends nothing. */
        abstract Plan plan(AwsTarget t, String cluster, Service service, ObjectNode args);

        /** Sends the planned requests; returns what they produced (e.g. the new task definition revision). */
        abstract ObjectNode apply(AwsTarget t, String cluster, Plan plan);

        abstract String name();

        abstract String title();

        abstract String description();

        abstract ObjectNode extraInput();

        abstract String[] extraRequired();

        abstract ToolAnnotations annotations();

        @Override
        public ToolDefinition definition() {
            ObjectNode in = Schemas.service();
            in.setAll(extraInput());
            in.set("dry_run", JsonSchemas.bool("Return the change preview and the exact API request(s) without sending "
                    + "anything.", false));
            in.set("wait_seconds", JsonSchemas.integer("After the change, wait up to this long for the deployment to "
                    + "become steady or fail (0: do not wait). Also bounded by the call's timeout.", 0, 1800,
                    DEFAULT_WAIT_SECONDS));
            List<String> required = new ArrayList<>(List.of("cluster", "service"));
            required.addAll(List.of(extraRequired()));
            ObjectNode out = Schemas.scopedOutput();
            out.set("dry_run", JsonSchemas.type("boolean", "nothing was sent"));
            out.set("change", JsonSchemas.type("object", "summary, before, after"));
            out.set("requests", JsonSchemas.arrayOf(JsonSchemas.type("object", "operation (IAM action), parameters"),
                    "the API requests (sent, or that would be sent)"));
            out.set("applied", JsonSchemas.type("object", "what the requests produced"));
            out.set("wait", JsonSchemas.type("object", "outcome (steady, failed, in_progress, not_waited), polls, "
                    + "waited_seconds, deployments[]"));
            return new ToolDefinition(name(), title(), description(),
                    JsonSchemas.input(in, required.toArray(String[]::new)),
                    JsonSchemas.output(out, "account", "region", "dry_run", "change", "requests"), annotations());
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            String cluster = Args.cluster(args);
            Service service = Ecs.service(t, cluster, Args.service(args));
            Plan plan = plan(t, cluster, service, args);
            return descriptor(t, "ecs:service", service.serviceName(), shortName(cluster), service.serviceName(),
                    plan.preview());
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            AwsTarget t = accounts.resolve(args);
            String cluster = Args.cluster(args);
            Service service = Ecs.service(t, cluster, Args.service(args));
            Plan plan = plan(t, cluster, service, args);
            boolean dryRun = Args.bool(args, "dry_run", false);
            ObjectNode out = result(t);
            out.put("cluster", shortName(cluster));
            out.put("service", service.serviceName());
            out.put("dry_run", dryRun);
            ObjectNode change = out.putObject("change");
            change.put("summary", plan.preview().summary());
            change.set("before", plan.preview().before());
            change.set("after", plan.preview().after());
            ArrayNode requests = out.putArray("requests");
            for (ApiRequest r : plan.requests()) {
                requests.addObject().put("operation", r.action().iamAction()).set("parameters", r.parameters());
            }
            if (dryRun) {
                return ToolResult.ok("DRY RUN (nothing sent) " + name() + ": " + plan.preview().summary() + "\n"
                        + "would send:\n" + requestsText(requests), out);
            }
            ctx.progress().report(0, null, "applying: " + plan.preview().summary());
            ObjectNode applied = apply(t, cluster, plan);
            out.set("applied", applied);
            int waitSeconds = Args.integer(args, "wait_seconds", 0, 1800, DEFAULT_WAIT_SECONDS);
            ObjectNode wait = plan.startsDeployment() && waitSeconds > 0
                    ? waitForDeployment(t, cluster, service.serviceName(), waitSeconds, ctx)
                    : JSON.objectNode().put("outcome", "not_waited");
            out.set("wait", wait);
            String outcome = wait.get("outcome").asString();
            String text = name() + ": " + plan.preview().summary() + " — applied"
                    + (applied.has("task_definition") ? " (" + applied.get("task_definition").asString() + ")" : "")
                    + "\ndeployment: " + outcome + (wait.has("detail") ? " — " + wait.get("detail").asString() : "")
                    + "\n";
            return new ToolResult(text, out, "failed".equals(outcome));
        }

        private static String requestsText(ArrayNode requests) {
            StringBuilder sb = new StringBuilder();
            requests.forEach(r -> sb.append("  ").append(r.get("operation").asString()).append(' ')
                    .append(r.get("parameters")).append('\n'));
            return sb.toString();
        }
    }

    /**
     * Polls DescribeServices until the service is steady (one deployment, COMPLETED or no rollout state, running =
     * desired, nothing pending) or failed (primary rollout FAILED), or the wait ends.
     */
    static ObjectNode waitForDeployment(AwsTarget t, String cluster, String service, int waitSeconds, ToolContext ctx) {
        Instant start = Instant.now();
        Instant until = start.plusSeconds(waitSeconds);
        Instant deadline = ctx.deadline().minus(DEADLINE_MARGIN);
        if (deadline.isBefore(until)) {
            until = deadline;
        }
        Duration poll = t.account().deploymentPoll();
        int polls = 0;
        int maxPolls = (int) Math.max(1, Duration.between(start, until).toMillis() / Math.max(1, poll.toMillis()) + 1);
        ObjectNode out = JSON.objectNode();
        Service s = null;
        String outcome = "in_progress";
        String detail = null;
        while (polls < maxPolls) {
            s = Ecs.service(t, cluster, service);
            polls++;
            Deployment primary = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst()
                    .orElse(null);
            String rollout = primary == null ? null : primary.rolloutStateAsString();
            ctx.progress().report(polls, null, "deployment " + (rollout == null ? "-" : rollout) + ": running "
                    + s.runningCount() + "/" + s.desiredCount() + ", " + s.deployments().size() + " deployment(s)");
            if (primary != null && "FAILED".equals(rollout)) {
                outcome = "failed";
                detail = Text.str(primary.rolloutStateReason());
                break;
            }
            boolean settled = s.deployments().size() == 1 && (rollout == null || "COMPLETED".equals(rollout))
                    && s.runningCount().equals(s.desiredCount()) && s.pendingCount() == 0;
            if (settled) {
                outcome = "steady";
                detail = "running " + s.runningCount() + " of " + s.desiredCount() + " on "
                        + Ecs.familyRevision(s.taskDefinition());
                break;
            }
            if (!Instant.now().plus(poll).isBefore(until)) {
                detail = "still rolling out after " + Duration.between(start, Instant.now()).toSeconds()
                        + " s; check again with ecs_service_health";
                break;
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                detail = "wait interrupted";
                break;
            }
        }
        out.put("outcome", outcome);
        out.put("detail", detail);
        out.put("polls", polls);
        out.put("waited_seconds", Duration.between(start, Instant.now()).toSeconds());
        if (s != null) {
            out.put("running", s.runningCount());
            out.put("desired", s.desiredCount());
            ArrayNode ds = out.putArray("deployments");
            for (Deployment d : s.deployments()) {
                ds.addObject().put("status", d.status()).put("task_definition", Ecs.familyRevision(d.taskDefinition()))
                        .put("rollout_state", d.rolloutStateAsString()).put("running", d.runningCount())
                        .put("desired", d.desiredCount()).put("failed_tasks", d.failedTasks());
            }
        }
        return out;
    }

    private static ObjectNode request(SdkPojo request) {
        return SdkJson.toJson(request);
    }

    private static ObjectNode update(AwsTarget t, UpdateServiceRequest request, String subject) {
        Service s = t.call(AwsAction.ECS_UPDATE_SERVICE, subject, () -> t.ecs().updateService(request)).service();
        ObjectNode out = JSON.objectNode();
        out.put("operation", AwsAction.ECS_UPDATE_SERVICE.iamAction());
        out.put("service_task_definition", Ecs.familyRevision(s.taskDefinition()));
        out.put("desired", s.desiredCount());
        return out;
    }

    private static ObjectNode state(Service s) {
        ObjectNode o = JSON.objectNode();
        o.put("desiredCount", s.desiredCount());
        o.put("runningCount", s.runningCount());
        o.put("taskDefinition", Ecs.familyRevision(s.taskDefinition()));
        return o;
    }

    /** {@code ecs_scale_service}. */
    static final class Scale extends MutatingTool {

        Scale(Accounts accounts) {
            super(accounts);
        }

        @Override
        String name() {
            return "ecs_scale_service";
        }

        @Override
        String title() {
            return "Scale an ECS service";
        }

        @Override
        String description() {
            return "Sets the desired task count of an ECS service (UpdateService desiredCount) and waits until "
                    + "running = desired. Scaling to 0 stops the service: destructive. Use dry_run first.";
        }

        @Override
        ObjectNode extraInput() {
            return JSON.objectNode().set("desired_count", JsonSchemas.integer("New desired task count.", 0, 1000,
                    null));
        }

        @Override
        String[] extraRequired() {
            return new String[] {"desired_count"};
        }

        @Override
        ToolAnnotations annotations() {
            return ToolAnnotations.destructive();
        }

        @Override
        Plan plan(AwsTarget t, String cluster, Service s, ObjectNode args) {
            int desired = Args.integer(args, "desired_count", 0, 1000, null);
            UpdateServiceRequest r = UpdateServiceRequest.builder().cluster(cluster).service(s.serviceName())
                    .desiredCount(desired).build();
            ObjectNode after = JSON.objectNode().put("desiredCount", desired);
            String summary = "desiredCount " + s.desiredCount() + " -> " + desired
                    + (desired == 0 ? " (stops every task of " + s.serviceName() + ")" : "");
            return new Plan(new ChangePreview(summary, state(s), after),
                    List.of(new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, request(r))), s, r, true);
        }

        @Override
        ObjectNode apply(AwsTarget t, String cluster, Plan plan) {
            return update(t, (UpdateServiceRequest) plan.payload(), "service " + plan.service().serviceName());
        }
    }

    /** {@code ecs_force_new_deployment}. */
    static final class ForceNewDeployment extends MutatingTool {

        ForceNewDeployment(Accounts accounts) {
            super(accounts);
        }

        @Override
        String name() {
            return "ecs_force_new_deployment";
        }

        @Override
        String title() {
            return "Force a new ECS deployment";
        }

        @Override
        String description() {
            return "Starts a new deployment of an ECS service with the same task definition (UpdateService "
                    + "forceNewDeployment): every task is replaced, images with mutable tags are pulled again. Waits "
                    + "until the deployment is steady or failed. Use dry_run first.";
        }

        @Override
        ObjectNode extraInput() {
            return JSON.objectNode();
        }

        @Override
        String[] extraRequired() {
            return new String[0];
        }

        @Override
        ToolAnnotations annotations() {
            return ToolAnnotations.mutating(false);
        }

        @Override
        Plan plan(AwsTarget t, String cluster, Service s, ObjectNode args) {
            UpdateServiceRequest r = UpdateServiceRequest.builder().cluster(cluster).service(s.serviceName())
                    .forceNewDeployment(true).build();
            ObjectNode after = state(s).put("newDeployment", true);
            String summary = "force new deployment of " + s.serviceName() + " (" + Ecs.familyRevision(s.taskDefinition())
                    + ", " + s.runningCount() + " running task(s) replaced)";
            return new Plan(new ChangePreview(summary, state(s), after),
                    List.of(new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, request(r))), s, r, true);
        }

        @Override
        ObjectNode apply(AwsTarget t, String cluster, Plan plan) {
            return update(t, (UpdateServiceRequest) plan.payload(), "service " + plan.service().serviceName());
        }
    }

    /** {@code ecs_rollback_service}. */
    static final class Rollback extends MutatingTool {

        Rollback(Accounts accounts) {
            super(accounts);
        }

        @Override
        String name() {
            return "ecs_rollback_service";
        }

        @Override
        String title() {
            return "Roll back an ECS service";
        }

        @Override
        String description() {
            return "Points an ECS service at an earlier task definition: the named one, or else the previous ACTIVE "
                    + "revision of the same family (ListTaskDefinitions), and waits until the deployment is steady "
                    + "or failed. Use dry_run first.";
        }

        @Override
        ObjectNode extraInput() {
            return JSON.objectNode().set("task_definition", JsonSchemas.pattern("Task definition to roll back to "
                    + "(family:revision or ARN). Default: the previous ACTIVE revision of the service's family.",
                    Args.TASK_DEFINITION, 2048));
        }

        @Override
        String[] extraRequired() {
            return new String[0];
        }

        @Override
        ToolAnnotations annotations() {
            return ToolAnnotations.mutating(true);
        }

        @Override
        Plan plan(AwsTarget t, String cluster, Service s, ObjectNode args) {
            String current = Ecs.familyRevision(s.taskDefinition());
            String named = Args.string(args, "task_definition", Args.TASK_DEFINITION, false);
            String targetArn;
            if (named != null) {
                targetArn = Ecs.taskDefinition(t, named).taskDefinitionArn();
            } else {
                targetArn = previousRevision(t, current);
            }
            String target = Ecs.familyRevision(targetArn);
            if (target.equals(current)) {
                throw new ToolException(Kind.INVALID_ARGUMENT, "task_definition: service " + s.serviceName()
                        + " already runs " + current);
            }
            UpdateServiceRequest r = UpdateServiceRequest.builder().cluster(cluster).service(s.serviceName())
                    .taskDefinition(targetArn).build();
            ObjectNode after = JSON.objectNode().put("taskDefinition", target);
            return new Plan(new ChangePreview("taskDefinition " + current + " -> " + target, state(s), after),
                    List.of(new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, request(r))), s, r, true);
        }

        private static String previousRevision(AwsTarget t, String current) {
            int colon = current.lastIndexOf(':');
            String family = current.substring(0, colon);
            int revision = Integer.parseInt(current.substring(colon + 1));
            String token = null;
            int pages = 0;
            do {
                String next = token;
                ListTaskDefinitionsResponse r = t.call(AwsAction.ECS_LIST_TASK_DEFINITIONS,
                        "task definitions of family " + family,
                        () -> t.ecs().listTaskDefinitions(b -> b.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE)
                                .sort(SortOrder.DESC).nextToken(next).maxResults(100)));
                for (String arn : r.taskDefinitionArns()) {
                    String fr = Ecs.familyRevision(arn);
                    int c = fr.lastIndexOf(':');
                    if (fr.substring(0, c).equals(family) && Integer.parseInt(fr.substring(c + 1)) < revision) {
                        return arn;
                    }
                }
                token = r.nextToken();
                pages++;
            } while (token != null && pages < 10);
            throw new ToolException(Kind.NOT_FOUND, "no ACTIVE revision of " + family + " older than " + current
                    + " in " + t.where() + "; name one with task_definition");
        }

        @Override
        ObjectNode apply(AwsTarget t, String cluster, Plan plan) {
            return update(t, (UpdateServiceRequest) plan.payload(), "service " + plan.service().serviceName());
        }
    }

    /** {@code ecs_update_task_resources}. */
    static final class UpdateTaskResources extends MutatingTool {

        UpdateTaskResources(Accounts accounts) {
            super(accounts);
        }

        @Override
        String name() {
            return "ecs_update_task_resources";
        }

        @Override
        String title() {
            return "Change a container's memory or CPU";
        }

        @Override
        String description() {
            return "Registers a new revision of the service's task definition, identical but for the container's "
                    + "memory (hard limit, MiB) and/or CPU units (task-level values are raised when they would be "
                    + "below the containers' sum), then updates the service to it and waits until the deployment is "
                    + "steady or failed. Use dry_run first.";
        }

        @Override
        ObjectNode extraInput() {
            ObjectNode p = JSON.objectNode();
            p.set("container", JsonSchemas.pattern("Container name in the task definition.", Args.CONTAINER, 255));
            p.set("memory", JsonSchemas.integer("New hard memory limit of the container in MiB.", 6, 122_880, null));
            p.set("cpu", JsonSchemas.integer("New CPU units of the container (1024 = 1 vCPU).", 0, 196_608, null));
            return p;
        }

        @Override
        String[] extraRequired() {
            return new String[] {"container"};
        }

        @Override
        ToolAnnotations annotations() {
            return ToolAnnotations.mutating(false);
        }

        @Override
        Plan plan(AwsTarget t, String cluster, Service s, ObjectNode args) {
            String containerName = Args.string(args, "container", Args.CONTAINER, true);
            Integer memory = Args.optionalInteger(args, "memory", 6, 122_880);
            Integer cpu = Args.optionalInteger(args, "cpu", 0, 196_608);
            if (memory == null && cpu == null) {
                throw new ToolException(Kind.INVALID_ARGUMENT, "memory, cpu: give at least one of them");
            }
            TaskDefinition td = Ecs.taskDefinition(t, s.taskDefinition());
            ContainerDefinition old = td.containerDefinitions().stream().filter(c -> c.name().equals(containerName))
                    .findFirst().orElseThrow(() -> new ToolException(Kind.NOT_FOUND, "container: " + containerName
                            + " is not in " + td.family() + ":" + td.revision() + "; containers: " + String.join(", ",
                            td.containerDefinitions().stream().map(ContainerDefinition::name).toList())));
            ContainerDefinition.Builder nb = old.toBuilder();
            if (memory != null) {
                nb.memory(memory);
                if (old.memoryReservation() != null && old.memoryReservation() > memory) {
                    nb.memoryReservation(memory);
                }
            }
            if (cpu != null) {
                nb.cpu(cpu);
            }
            ContainerDefinition updated = nb.build();
            List<ContainerDefinition> defs = td.containerDefinitions().stream()
                    .map(c -> c.name().equals(containerName) ? updated : c).toList();
            String taskMemory = raised(td.memory(), defs.stream().mapToInt(c -> c.memory() == null ? 0 : c.memory()).sum());
            String taskCpu = raised(td.cpu(), defs.stream().mapToInt(c -> c.cpu() == null ? 0 : c.cpu()).sum());
            RegisterTaskDefinitionRequest register = RegisterTaskDefinitionRequest.builder()
                    .family(td.family())
                    .taskRoleArn(td.taskRoleArn())
                    .executionRoleArn(td.executionRoleArn())
                    .networkMode(td.networkMode())
                    .containerDefinitions(defs)
                    .volumes(td.volumes())
                    .placementConstraints(td.placementConstraints().stream().map(p -> TaskDefinitionPlacementConstraint
                            .builder().type(p.type()).expression(p.expression()).build()).toList())
                    .requiresCompatibilities(td.requiresCompatibilities())
                    .cpu(taskCpu)
                    .memory(taskMemory)
                    .pidMode(td.pidMode())
                    .ipcMode(td.ipcMode())
                    .proxyConfiguration(td.proxyConfiguration())
                    .inferenceAccelerators(td.inferenceAccelerators())
                    .ephemeralStorage(td.ephemeralStorage())
                    .runtimePlatform(td.runtimePlatform())
                    .enableFaultInjection(td.enableFaultInjection())
                    .build();
            ObjectNode before = JSON.objectNode();
            before.put("taskDefinition", td.family() + ":" + td.revision());
            before.put("container", containerName);
            before.put("memory", old.memory());
            before.put("cpu", old.cpu());
            before.put("taskMemory", td.memory());
            before.put("taskCpu", td.cpu());
            ObjectNode after = JSON.objectNode();
            after.put("taskDefinition", td.family() + ":<next revision>");
            after.put("container", containerName);
            after.put("memory", updated.memory());
            after.put("cpu", updated.cpu());
            after.put("taskMemory", taskMemory);
            after.put("taskCpu", taskCpu);
            List<String> parts = new ArrayList<>();
            if (memory != null) {
                parts.add(containerName + " memory " + Text.str(old.memory()) + " -> " + memory + " MiB");
            }
            if (cpu != null) {
                parts.add(containerName + " cpu " + Text.str(old.cpu()) + " -> " + cpu);
            }
            if (!String.valueOf(td.memory()).equals(String.valueOf(taskMemory))) {
                parts.add("task memory " + td.memory() + " -> " + taskMemory);
            }
            if (!String.valueOf(td.cpu()).equals(String.valueOf(taskCpu))) {
                parts.add("task cpu " + td.cpu() + " -> " + taskCpu);
            }
            String summary = String.join(", ", parts) + " (new revision of " + td.family() + ", service "
                    + s.serviceName() + " updated to it)";
            ObjectNode updateParams = JSON.objectNode();
            updateParams.put("cluster", cluster);
            updateParams.put("service", s.serviceName());
            updateParams.put("taskDefinition", td.family() + ":<revision returned by RegisterTaskDefinition>");
            return new Plan(new ChangePreview(summary, before, after),
                    List.of(new ApiRequest(AwsAction.ECS_REGISTER_TASK_DEFINITION, request(register)),
                            new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, updateParams)), s, register, true);
        }

        /** The task-level value, raised to {@code needed} when it is set and lower (kept as is otherwise). */
        private static String raised(String taskLevel, int needed) {
            if (taskLevel == null || !taskLevel.matches("\\d+")) {
                return taskLevel;
            }
            return Integer.parseInt(taskLevel) < needed ? String.valueOf(needed) : taskLevel;
        }

        @Override
        ObjectNode apply(AwsTarget t, String cluster, Plan plan) {
            RegisterTaskDefinitionRequest register = (RegisterTaskDefinitionRequest) plan.payload();
            TaskDefinition created = t.call(AwsAction.ECS_REGISTER_TASK_DEFINITION,
                    "a new revision of " + register.family(),
                    () -> t.ecs().registerTaskDefinition(register)).taskDefinition();
            String revision = created.family() + ":" + created.revision();
            ObjectNode out = update(t, UpdateServiceRequest.builder().cluster(cluster)
                    .service(plan.service().serviceName()).taskDefinition(created.taskDefinitionArn()).build(),
                    "service " + plan.service().serviceName());
            out.put("task_definition", revision);
            out.put("registered", AwsAction.ECS_REGISTER_TASK_DEFINITION.iamAction() + " -> " + revision);
            return out;
        }
    }

    /** {@code ecs_update_health_check_grace_period}. */
    static final class GracePeriod extends MutatingTool {

        GracePeriod(Accounts accounts) {
            super(accounts);
        }

        @Override
        String name() {
            return "ecs_update_health_check_grace_period";
        }

        @Override
        String title() {
            return "Change the health check grace period";
        }

        @Override
        String description() {
            return "Sets how long ECS ignores load balancer health checks after a task starts "
                    + "(UpdateService healthCheckGracePeriodSeconds); for services behind a load balancer whose "
                    + "tasks are killed before they finish starting. Does not start a deployment. Use dry_run first.";
        }

        @Override
        ObjectNode extraInput() {
            return JSON.objectNode().set("seconds", JsonSchemas.integer("New grace period in seconds.", 0, 2_147_483,
                    null));
        }

        @Override
        String[] extraRequired() {
            return new String[] {"seconds"};
        }

        @Override
        ToolAnnotations annotations() {
            return ToolAnnotations.mutating(true);
        }

        @Override
        Plan plan(AwsTarget t, String cluster, Service s, ObjectNode args) {
            int seconds = Args.integer(args, "seconds", 0, 2_147_483, null);
            if (s.loadBalancers().isEmpty()) {
                throw new ToolException(Kind.INVALID_ARGUMENT, "service " + s.serviceName()
                        + " has no load balancer; the health check grace period only applies to services behind one");
            }
            UpdateServiceRequest r = UpdateServiceRequest.builder().cluster(cluster).service(s.serviceName())
                    .healthCheckGracePeriodSeconds(seconds).build();
            Integer current = s.healthCheckGracePeriodSeconds();
            ObjectNode before = JSON.objectNode().put("healthCheckGracePeriodSeconds", current == null ? 0 : current);
            ObjectNode after = JSON.objectNode().put("healthCheckGracePeriodSeconds", seconds);
            return new Plan(new ChangePreview("healthCheckGracePeriodSeconds " + (current == null ? 0 : current)
                    + " -> " + seconds, before, after),
                    List.of(new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, request(r))), s, r, false);
        }

        @Override
        ObjectNode apply(AwsTarget t, String cluster, Plan plan) {
            return update(t, (UpdateServiceRequest) plan.payload(), "service " + plan.service().serviceName());
        }
    }
}
