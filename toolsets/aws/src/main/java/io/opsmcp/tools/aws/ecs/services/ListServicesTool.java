package io.opsmcp.tools.aws.ecs.services;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.Paging;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import io.opsmcp.tools.aws.common.Text;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_list_services}. */
public final class ListServicesTool extends AwsTool {

    public ListServicesTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("cluster", AwsArgs.CLUSTER.schema());
        ObjectNode item = JsonSchemas.properties();
        item.set("name", JsonSchemas.type("string", "service name"));
        item.set("status", JsonSchemas.type("string", "ACTIVE, DRAINING, INACTIVE"));
        item.set("desired", JsonSchemas.type("integer", "desired tasks"));
        item.set("running", JsonSchemas.type("integer", "running tasks"));
        item.set("pending", JsonSchemas.type("integer", "pending tasks"));
        item.set("task_definition", JsonSchemas.type("string", "family:revision"));
        item.set("rollout_state", JsonSchemas.type("string", "primary deployment rollout state"));
        item.set("deployments", JsonSchemas.type("integer", "number of deployments"));
        item.set("launch_type", JsonSchemas.type("string", "FARGATE, EC2, EXTERNAL"));
        ObjectNode out = Schemas.scopedOutput();
        out.set("cluster", JsonSchemas.type("string", "cluster"));
        out.set(
                "services",
                JsonSchemas.arrayOf(JsonSchemas.output(item, "name", "status", "desired", "running"), "services"));
        out.set("truncated", JsonSchemas.type("boolean", "more services exist than were listed (1000 max)"));
        return new ToolDefinition(
                "ecs_list_services",
                "ECS services of a cluster",
                "Services of an ECS cluster: desired/running/pending, task definition, rollout state.",
                JsonSchemas.input(in, "cluster"),
                JsonSchemas.output(out, "account", "region", "cluster", "services"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        String cluster = AwsArgs.cluster(args);
        return descriptor(accounts.resolve(args), "ecs:cluster", shortName(cluster), cluster, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String cluster = AwsArgs.cluster(args);
        Paging.Collected<String> listed = Paging.collect(
                token -> {
                    ListServicesResponse page = t.call(
                            AwsAction.ECS_LIST_SERVICES,
                            "services of cluster " + cluster,
                            () -> t.ecs()
                                    .listServices(b ->
                                            b.cluster(cluster).nextToken(token).maxResults(100)));
                    return new Paging.Page<>(page.serviceArns(), page.nextToken());
                },
                ListClustersTool.MAX_PAGES * 100,
                ListClustersTool.MAX_PAGES,
                ctx);
        List<String> arns = listed.items();
        boolean more = listed.truncated();
        int batches = (arns.size() + 9) / 10;
        ctx.progress().report(0, (double) batches, "listed " + arns.size() + " services");
        ObjectNode out = result(t);
        out.put("cluster", shortName(cluster));
        ArrayNode list = out.putArray("services");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 10) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 10));
            DescribeServicesResponse r = t.call(
                    AwsAction.ECS_DESCRIBE_SERVICES,
                    "services of cluster " + cluster,
                    () -> t.ecs().describeServices(b -> b.cluster(cluster).services(batch)));
            for (Service s : r.services()) {
                Deployment primary = s.deployments().stream()
                        .filter(d -> "PRIMARY".equals(d.status()))
                        .findFirst()
                        .orElse(null);
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
                rows.add(Text.row(
                        s.serviceName(),
                        s.status(),
                        s.desiredCount() + "/" + s.runningCount() + "/" + s.pendingCount() + mark,
                        Ecs.familyRevision(Ecs.currentTaskDefinition(s)),
                        primary == null ? "-" : Text.str(primary.rolloutStateAsString()),
                        String.valueOf(s.deployments().size())));
            }
            ctx.progress().report(i / 10 + 1, (double) batches, "described services");
        }
        out.put("truncated", more);
        String text = list.size() + " service(s) in cluster " + shortName(cluster) + " (" + t.where() + ")"
                + (more ? " (more exist)" : "") + "\n"
                + Text.table(List.of("SERVICE", "STATUS", "DES/RUN/PEND", "TASK DEF", "ROLLOUT", "DEPLOYMENTS"), rows);
        return ToolResult.ok(text, out);
    }
}
