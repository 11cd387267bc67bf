package io.opsmcp.tools.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opsmcp.core.redact.Redactor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.tools.aws.client.AwsClients;
import io.opsmcp.tools.aws.config.AwsAccount;
import io.opsmcp.tools.aws.config.AwsConfig;

/**
 * The {@code aws} toolset: read-only ECS, CloudWatch Logs/metrics, ELBv2 and EC2 diagnostics, the
 * {@code ecs_troubleshoot} summary, and five mutating ECS remediations (each with {@code dry_run}). Closing it
 * closes the SDK clients and their connection pool.
 */
public final class AwsToolset implements OpsToolset {

    private final AwsConfig config;
    private final AwsClients clients;
    private final List<OpsTool> tools;

    public AwsToolset(AwsConfig config, AwsClients clients) {
        this.config = config;
        this.clients = clients;
        Accounts accounts = new Accounts(config, clients, new Redactor());
        EcsServiceTools services = new EcsServiceTools(accounts);
        EcsTaskTools tasks = new EcsTaskTools(accounts);
        CloudWatchLogTools logs = new CloudWatchLogTools(accounts);
        CloudWatchMetricTools metrics = new CloudWatchMetricTools(accounts);
        EcsNetworkTools network = new EcsNetworkTools(accounts);
        List<OpsTool> all = new ArrayList<>();
        all.addAll(new AwsIdentityTools(accounts).tools());
        all.addAll(services.tools());
        all.addAll(tasks.tools());
        all.addAll(logs.tools());
        all.addAll(metrics.tools());
        all.addAll(network.tools());
        all.addAll(new EcsTroubleshooter(accounts, services, tasks, logs, metrics, network).tools());
        all.addAll(new EcsRemediationTools(accounts).tools());
        this.tools = List.copyOf(all);
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

    /** Completes {@code account} with the configured account names. */
    @Override
    public List<String> complete(String argument, String prefix, Map<String, String> context) {
        if ("account".equals(argument)) {
            String p = prefix == null ? "" : prefix;
            return config.accounts().stream().map(AwsAccount::name).filter(n -> n.startsWith(p)).limit(100).toList();
        }
        return List.of();
    }

    @Override
    public void close() {
        clients.close();
    }
}
