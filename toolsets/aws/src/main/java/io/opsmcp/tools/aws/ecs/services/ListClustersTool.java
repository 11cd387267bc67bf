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
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import io.opsmcp.tools.aws.common.Text;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_list_clusters}. */
public final class ListClustersTool extends AwsTool {

    /** ListClusters / ListServices read at most this many pages of 100. */
    static final int MAX_PAGES = 10;

    public ListClustersTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode item = JsonSchemas.properties();
        item.set("name", JsonSchemas.type("string", "cluster name"));
        item.set("arn", JsonSchemas.type("string", "cluster ARN"));
        item.set("status", JsonSchemas.type("string", "ACTIVE, PROVISIONING, DEPROVISIONING, FAILED, INACTIVE"));
        item.set("active_services", JsonSchemas.type("integer", "services in ACTIVE state"));
        item.set("running_tasks", JsonSchemas.type("integer", "tasks RUNNING"));
        item.set("pending_tasks", JsonSchemas.type("integer", "tasks PENDING"));
        item.set("container_instances", JsonSchemas.type("integer", "registered EC2 container instances"));
        ObjectNode out = Schemas.scopedOutput();
        out.set("clusters", JsonSchemas.arrayOf(JsonSchemas.output(item, "name", "status"), "clusters"));
        out.set("truncated", JsonSchemas.type("boolean", "more clusters exist than were listed"));
        return new ToolDefinition(
                "ecs_list_clusters",
                "ECS clusters",
                "ECS clusters: status, active services, running/pending tasks. Start here for cluster " + "names.",
                JsonSchemas.input(Schemas.scoped()),
                JsonSchemas.output(out, "account", "region", "clusters"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return descriptor(accounts.resolve(args), "ecs:cluster", "*", null, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        Paging.Collected<String> listed = Paging.collect(
                token -> {
                    ListClustersResponse page = t.call(
                            AwsAction.ECS_LIST_CLUSTERS,
                            "clusters",
                            () -> t.ecs().listClusters(b -> b.nextToken(token).maxResults(100)));
                    return new Paging.Page<>(page.clusterArns(), page.nextToken());
                },
                MAX_PAGES * 100,
                MAX_PAGES,
                ctx);
        List<String> arns = listed.items();
        boolean more = listed.truncated();
        ctx.progress().report(1, 2.0, "listed " + arns.size() + " clusters");
        ObjectNode out = result(t);
        ArrayNode list = out.putArray("clusters");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 100) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 100));
            DescribeClustersResponse r = t.call(
                    AwsAction.ECS_DESCRIBE_CLUSTERS,
                    "clusters",
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
                rows.add(Text.row(
                        c.clusterName(),
                        c.status(),
                        Text.str(c.activeServicesCount()),
                        Text.str(c.runningTasksCount()),
                        Text.str(c.pendingTasksCount()),
                        Text.str(c.registeredContainerInstancesCount())));
            }
        }
        ctx.progress().report(2, 2.0, "described clusters");
        out.put("truncated", more);
        String text = list.size() + " cluster(s) in " + t.where() + (more ? " (more exist)" : "") + "\n"
                + Text.table(List.of("CLUSTER", "STATUS", "SERVICES", "RUNNING", "PENDING", "INSTANCES"), rows);
        return ToolResult.ok(text, out);
    }
}
