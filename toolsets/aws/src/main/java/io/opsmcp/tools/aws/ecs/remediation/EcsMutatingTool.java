package io.opsmcp.tools.aws.ecs.remediation;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.ApiRequest;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import io.opsmcp.tools.aws.common.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shared flow of the mutating ECS remediations ({@code ecs_scale_service}, {@code ecs_force_new_deployment},
 * {@code ecs_rollback_service}, {@code ecs_update_task_resources}, {@code ecs_update_health_check_grace_period}, one
 * class each).
 * Each plans first (reads the current state, builds the change preview and the exact API requests);
 * {@code describe} returns the preview for the policy guard; a dry run (decided by the gateway from {@code dry_run},
 * {@link ToolContext#dryRun()}, enforced by the toolkit's {@link MutatingTool}) returns preview and requests and
 * sends nothing. After a real change the tool polls DescribeServices (bounded by {@code wait_seconds} and
 * the call's deadline, with progress notifications) until the deployment is steady or failed.
 */
abstract class EcsMutatingTool extends MutatingTool<EcsMutatingTool.Planned> {

    static final int DEFAULT_WAIT_SECONDS = 600;
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(3);
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final ArgSpec<Integer> WAIT_SECONDS = ArgSpec.integer("wait_seconds")
            .range(0, 1800)
            .defaultValue(DEFAULT_WAIT_SECONDS)
            .description("0: do not wait.");

    /** What a call would do: the preview, the requests, and what the tool needs to send them. */
    record Plan(
            ChangePreview preview,
            List<ApiRequest> requests,
            Service service,
            Object payload,
            boolean startsDeployment) {}

    /** A planned call: where, and what it would do. */
    record Planned(AwsTarget target, String cluster, Plan plan) {}

    protected final Accounts accounts;

    EcsMutatingTool(Accounts accounts, ToolDefinition definition) {
        super(definition);
        this.accounts = accounts;
    }

    /** Reads the current state and plans the change; sends nothing. */
    abstract Plan planChange(AwsTarget t, String cluster, Service service, ObjectNode args);

    /** Sends the planned requests; returns what they produced (e.g. the new task definition revision). */
    abstract ObjectNode send(AwsTarget t, String cluster, Plan plan);

    /**
     * The definition every remediation shares: the service arguments, its own arguments, {@code dry_run} and
     * {@code wait_seconds}; the output: the change, the requests and, after a real change, what they produced and
     * how the deployment went.
     */
    static ToolDefinition definition(
            String name,
            String title,
            String description,
            ObjectNode extraInput,
            List<String> extraRequired,
            ToolAnnotations annotations) {
        return definition(name, title, description, extraInput, extraRequired, annotations, true);
    }

    /**
     * @param stopsOrRemoves whether the policy sees the tool as destructive ({@link ToolDefinition#destructive()});
     *                       false for a tool that interrupts tasks but removes nothing (redeploy, rollback, resources),
     *                       which still carries {@code destructiveHint} for clients
     */
    static ToolDefinition definition(
            String name,
            String title,
            String description,
            ObjectNode extraInput,
            List<String> extraRequired,
            ToolAnnotations annotations,
            boolean stopsOrRemoves) {
        ObjectNode in = Schemas.service();
        in.setAll(extraInput);
        in.set("dry_run", ToolSpec.DRY_RUN_ARG.schema());
        in.set("wait_seconds", WAIT_SECONDS.schema());
        List<String> required = new ArrayList<>(List.of("cluster", "service"));
        required.addAll(extraRequired);
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set("service", JsonSchemas.type("string", "service"));
        out.set("dry_run", JsonSchemas.type("boolean", "nothing was sent"));
        out.set("change", JsonSchemas.type("object", "summary, before, after"));
        Schemas.changeRequestsOutput(out, "operation (IAM action), parameters");
        out.set(
                "wait",
                JsonSchemas.type(
                        "object",
                        "outcome (steady, failed, in_progress, not_waited), polls, "
                                + "waited_seconds, deployments[]"));
        return new ToolDefinition(
                name,
                title,
                description,
                JsonSchemas.input(in, required.toArray(String[]::new)),
                JsonSchemas.output(out, "account", "region", "dry_run", "change", "requests"),
                annotations,
                stopsOrRemoves && !annotations.readOnlyHint() && annotations.destructiveHint());
    }

    /** Resolves the service, plans the change and describes it (provider aws, kind ecs:service, the preview). */
    @Override
    protected PlannedChange<Planned> plan(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String cluster = AwsArgs.cluster(args);
        Service service = Ecs.service(t, cluster, AwsArgs.service(args));
        Plan plan = planChange(t, cluster, service, args);
        ActionDescriptor descriptor = AwsTool.descriptor(
                t,
                "ecs:service",
                service.serviceName(),
                AwsTool.shortName(cluster),
                service.serviceName(),
                plan.preview());
        return new PlannedChange<>(descriptor, new Planned(t, cluster, plan));
    }

    /** The call's result as far as the plan goes: where, the change, the requests. */
    private static ObjectNode result(Planned p, boolean dryRun) {
        ObjectNode out = AwsTool.result(p.target());
        out.put("cluster", AwsTool.shortName(p.cluster()));
        out.put("service", p.plan().service().serviceName());
        out.put("dry_run", dryRun);
        ObjectNode change = out.putObject("change");
        change.put("summary", p.plan().preview().summary());
        change.set("before", p.plan().preview().before());
        change.set("after", p.plan().preview().after());
        ApiRequest.appendTo(out.putArray("requests"), p.plan().requests());
        return out;
    }

    /** The dry run (the gateway set {@link ToolContext#dryRun()}): the change and the exact requests, none sent. */
    @Override
    protected ToolResult preview(PlannedChange<Planned> planned, ToolContext ctx) {
        ObjectNode out = result(planned.data(), true);
        return ToolResult.ok(
                "DRY RUN (nothing sent) " + definition().name() + ": "
                        + planned.data().plan().preview().summary() + "\n" + "would send:\n"
                        + ApiRequest.text(planned.data().plan().requests()),
                out);
    }

    /** Sends the requests and, when they start a deployment, waits for it ({@code wait_seconds}). */
    @Override
    protected ToolResult apply(PlannedChange<Planned> planned, ObjectNode args, ToolContext ctx) {
        Planned p = planned.data();
        Plan plan = p.plan();
        ObjectNode out = result(p, false);
        ctx.progress().report(0, null, "applying: " + plan.preview().summary());
        ObjectNode applied = send(p.target(), p.cluster(), plan);
        out.set("applied", applied);
        int waitSeconds = WAIT_SECONDS.read(args);
        ObjectNode wait = plan.startsDeployment() && waitSeconds > 0
                ? waitForDeployment(p.target(), p.cluster(), plan.service().serviceName(), waitSeconds, ctx)
                : JSON.objectNode().put("outcome", "not_waited");
        out.set("wait", wait);
        String outcome = wait.get("outcome").asString();
        String text = definition().name() + ": " + plan.preview().summary() + " — applied"
                + (applied.has("task_definition")
                        ? " (" + applied.get("task_definition").asString() + ")"
                        : "")
                + "\ndeployment: " + outcome
                + (wait.has("detail") ? " — " + wait.get("detail").asString() : "")
                + "\n";
        return new ToolResult(text, out, "failed".equals(outcome));
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
            if (ctx.cancellation().cancelled()) {
                // the client cancelled: the change was sent (the audit says so); only the waiting stops
                detail = "wait stopped: the call was cancelled";
                break;
            }
            s = Ecs.service(t, cluster, service);
            polls++;
            Deployment primary = s.deployments().stream()
                    .filter(d -> "PRIMARY".equals(d.status()))
                    .findFirst()
                    .orElse(null);
            String rollout = primary == null ? null : primary.rolloutStateAsString();
            ctx.progress()
                    .report(
                            polls,
                            null,
                            "deployment " + (rollout == null ? "-" : rollout) + ": running " + s.runningCount() + "/"
                                    + s.desiredCount() + ", " + s.deployments().size() + " deployment(s)");
            if (primary != null && "FAILED".equals(rollout)) {
                outcome = "failed";
                detail = Text.str(primary.rolloutStateReason());
                break;
            }
            boolean settled = s.deployments().size() == 1
                    && (rollout == null || "COMPLETED".equals(rollout))
                    && s.runningCount().equals(s.desiredCount())
                    && s.pendingCount() == 0;
            if (settled) {
                outcome = "steady";
                detail = "running " + s.runningCount() + " of " + s.desiredCount() + " on "
                        + Ecs.familyRevision(s.taskDefinition());
                break;
            }
            if (!Instant.now().plus(poll).isBefore(until)) {
                detail = "still rolling out after "
                        + Duration.between(start, Instant.now()).toSeconds()
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
                ds.addObject()
                        .put("status", d.status())
                        .put("task_definition", Ecs.familyRevision(d.taskDefinition()))
                        .put("rollout_state", d.rolloutStateAsString())
                        .put("running", d.runningCount())
                        .put("desired", d.desiredCount())
                        .put("failed_tasks", d.failedTasks());
            }
        }
        return out;
    }

    static ObjectNode request(SdkPojo request) {
        return SdkJson.toJson(request);
    }

    static ObjectNode update(AwsTarget t, UpdateServiceRequest request, String subject) {
        Service s = t.call(AwsAction.ECS_UPDATE_SERVICE, subject, () -> t.ecs().updateService(request))
                .service();
        ObjectNode out = JSON.objectNode();
        out.put("operation", AwsAction.ECS_UPDATE_SERVICE.iamAction());
        out.put("service_task_definition", Ecs.familyRevision(s.taskDefinition()));
        out.put("desired", s.desiredCount());
        return out;
    }

    static ObjectNode state(Service s) {
        ObjectNode o = JSON.objectNode();
        o.put("desiredCount", s.desiredCount());
        o.put("runningCount", s.runningCount());
        o.put("taskDefinition", Ecs.familyRevision(s.taskDefinition()));
        return o;
    }
}
