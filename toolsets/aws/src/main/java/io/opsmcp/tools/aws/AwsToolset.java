package io.opsmcp.tools.aws;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.aws.alarms.AlarmHistoryTool;
import io.opsmcp.tools.aws.alarms.AlarmsTool;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsClients;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.config.AwsAccount;
import io.opsmcp.tools.aws.config.AwsConfig;
import io.opsmcp.tools.aws.ecs.network.NetworkTool;
import io.opsmcp.tools.aws.ecs.remediation.ForceNewDeploymentTool;
import io.opsmcp.tools.aws.ecs.remediation.HealthCheckGracePeriodTool;
import io.opsmcp.tools.aws.ecs.remediation.RollbackServiceTool;
import io.opsmcp.tools.aws.ecs.remediation.ScaleServiceTool;
import io.opsmcp.tools.aws.ecs.remediation.UpdateTaskResourcesTool;
import io.opsmcp.tools.aws.ecs.services.ListClustersTool;
import io.opsmcp.tools.aws.ecs.services.ListServicesTool;
import io.opsmcp.tools.aws.ecs.services.ServiceHealthTool;
import io.opsmcp.tools.aws.ecs.tasks.TaskDefinitionTool;
import io.opsmcp.tools.aws.ecs.tasks.TaskFailuresTool;
import io.opsmcp.tools.aws.ecs.troubleshoot.TroubleshootTool;
import io.opsmcp.tools.aws.iam.AccessKeyLookupTool;
import io.opsmcp.tools.aws.iam.DeactivateAccessKeyTool;
import io.opsmcp.tools.aws.iam.DeactivateMfaDeviceTool;
import io.opsmcp.tools.aws.iam.DeleteAccessKeyTool;
import io.opsmcp.tools.aws.iam.RequirePasswordResetTool;
import io.opsmcp.tools.aws.iam.ResetConsolePasswordTool;
import io.opsmcp.tools.aws.iam.UserAccessTool;
import io.opsmcp.tools.aws.identity.WhoAmITool;
import io.opsmcp.tools.aws.insights.LogsInsightsTool;
import io.opsmcp.tools.aws.logs.LogsTool;
import io.opsmcp.tools.aws.metrics.CloudWatchMetricTool;
import io.opsmcp.tools.aws.metrics.MetricsTool;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code aws} toolset: read-only ECS, CloudWatch Logs/metrics, ELBv2 and EC2 diagnostics, the
 * {@code ecs_troubleshoot} summary, five mutating ECS remediations (each with {@code dry_run}), and the IAM access
 * tools when {@code aws.iam_tools} is on (user access review, access key look-up, and five guarded changes to keys,
 * console passwords and MFA). Closing it
 * closes the SDK clients and their connection pool.
 */
public final class AwsToolset implements OpsToolset {

    private final AwsConfig config;
    private final AwsClients clients;
    private final List<OpsTool> tools;
    private final Accounts accounts;

    public AwsToolset(AwsConfig config, AwsClients clients) {
        this.config = config;
        this.clients = clients;
        Accounts accounts = new Accounts(config, clients, new Redactor(AwsRedaction.RULES));
        this.accounts = accounts;
        // the order of tools/list: identity, read-only diagnostics, the troubleshooter, then the remediations
        List<OpsTool> all = new java.util.ArrayList<>(List.of(
                new WhoAmITool(accounts),
                new ListClustersTool(accounts),
                new ListServicesTool(accounts),
                new ServiceHealthTool(accounts),
                new TaskFailuresTool(accounts),
                new TaskDefinitionTool(accounts),
                new LogsTool(accounts),
                new MetricsTool(accounts),
                new CloudWatchMetricTool(accounts),
                new AlarmsTool(accounts),
                new AlarmHistoryTool(accounts),
                new LogsInsightsTool(accounts),
                new NetworkTool(accounts),
                new TroubleshootTool(accounts),
                new ScaleServiceTool(accounts),
                new ForceNewDeploymentTool(accounts),
                new RollbackServiceTool(accounts),
                new UpdateTaskResourcesTool(accounts),
                new HealthCheckGracePeriodTool(accounts)));
        if (config.iamTools()) {
            // IAM access (aws.iam_tools): two reads, then the guarded changes (kinds iam:user, iam:access-key)
            all.addAll(List.of(
                    new UserAccessTool(accounts),
                    new AccessKeyLookupTool(accounts, config),
                    new DeactivateAccessKeyTool(accounts),
                    new DeleteAccessKeyTool(accounts),
                    new RequirePasswordResetTool(accounts),
                    new ResetConsolePasswordTool(accounts),
                    new DeactivateMfaDeviceTool(accounts)));
        }
        this.tools = all.stream()
                .map(tool -> (OpsTool) new Cancellable(tool, clients))
                .toList();
    }

    /**
     * A tool whose AWS requests are aborted when its call is cancelled: the call's cancellation is bound to the
     * thread while the tool describes or executes ({@link AwsClients#bind}).
     */
    private record Cancellable(OpsTool tool, AwsClients clients) implements OpsTool {
        @Override
        public ToolDefinition definition() {
            return tool.definition();
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            try (AwsClients.Binding ignored = clients.bind(ctx.cancellation())) {
                return tool.describe(args, ctx);
            }
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            try (AwsClients.Binding ignored = clients.bind(ctx.cancellation())) {
                return tool.execute(args, ctx);
            }
        }
    }

    @Override
    public String name() {
        return AwsToolsetProvider.NAME;
    }

    @Override
    public String description() {
        return AwsToolsetProvider.DESCRIPTION;
    }

    @Override
    public List<OpsTool> tools() {
        return tools;
    }

    /**
     * Completes {@code account} with the configured account names, and {@code cluster} and {@code service} with
     * the names ECS lists (first page, in the account and region given in {@code context} or the defaults;
     * {@code service} needs {@code cluster} in the context). Completion is best effort: an AWS error gives no
     * values rather than an error.
     */
    @Override
    public List<String> complete(String argument, String prefix, Map<String, String> context) {
        String p = prefix == null ? "" : prefix;
        if ("account".equals(argument)) {
            return config.accounts().stream()
                    .map(AwsAccount::name)
                    .filter(n -> n.startsWith(p))
                    .limit(100)
                    .toList();
        }
        if (!"cluster".equals(argument) && !"service".equals(argument)) {
            return List.of();
        }
        try {
            ObjectNode scope = JsonNodeFactory.instance.objectNode();
            for (String key : List.of("account", "region")) {
                if (context.get(key) != null && !context.get(key).isBlank()) {
                    scope.put(key, context.get(key));
                }
            }
            AwsTarget target = accounts.resolve(scope);
            List<String> arns;
            if ("cluster".equals(argument)) {
                arns = target.ecs().listClusters(b -> b.maxResults(100)).clusterArns();
            } else {
                String cluster = context.get("cluster");
                if (cluster == null || cluster.isBlank()) {
                    return List.of();
                }
                arns = target.ecs()
                        .listServices(b -> b.cluster(cluster).maxResults(100))
                        .serviceArns();
            }
            return arns.stream()
                    .map(arn -> arn.substring(arn.lastIndexOf('/') + 1))
                    .filter(n -> n.startsWith(p))
                    .sorted()
                    .limit(100)
                    .toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The resource a completion value names: an account ({@code aws:account}), a cluster ({@code ecs:cluster}) or a
     * service ({@code ecs:service}), in the account and region of {@code context} or the defaults; {@code null}
     * when the account cannot be resolved.
     */
    @Override
    public ActionDescriptor describeCompletion(String argument, String value, Map<String, String> context) {
        try {
            ObjectNode scope = JsonNodeFactory.instance.objectNode();
            for (String key : List.of("account", "region")) {
                if (context.get(key) != null && !context.get(key).isBlank()) {
                    scope.put(key, context.get(key));
                }
            }
            if ("account".equals(argument)) {
                scope.put("account", value);
            }
            AwsTarget target = accounts.resolve(scope);
            return switch (argument) {
                case "account" ->
                    AwsTool.descriptor(target, "aws:account", target.account().name(), null, null, null);
                case "cluster" -> AwsTool.descriptor(target, "ecs:cluster", value, value, null, null);
                case "service" -> AwsTool.descriptor(target, "ecs:service", value, context.get("cluster"), value, null);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        clients.close();
    }
}
