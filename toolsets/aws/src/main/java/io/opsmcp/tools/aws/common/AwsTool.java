package io.opsmcp.tools.aws.common;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every AWS tool shares: account/region resolution and the action descriptor. By default a tool acts on
 * one ECS service ({@code cluster} and {@code service} arguments); tools on other resources override
 * {@link #describe}.
 */
public abstract class AwsTool implements OpsTool {

    public static final String PROVIDER = "aws";

    protected final Accounts accounts;

    protected AwsTool(Accounts accounts) {
        this.accounts = accounts;
    }

    /** Provider {@code aws}, kind {@code ecs:service}, name the service; no AWS call. */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        AwsTarget target = accounts.resolve(args);
        return descriptor(
                target, "ecs:service", AwsArgs.service(args), AwsArgs.cluster(args), AwsArgs.service(args), null);
    }

    /**
     * The descriptor the policy sees: ids {@code account}, {@code account_id}, {@code region} and, when given,
     * {@code cluster} and {@code service}.
     */
    public static ActionDescriptor descriptor(
            AwsTarget target, String kind, String name, String cluster, String service, ChangePreview change) {
        // One resource, one description: a cluster or service given by ARN is described by its name, as when it
        // is given by name, so the policy and the circuit breaker (keyed on the descriptor) see the same resource.
        name = canonical(name);
        cluster = canonical(cluster);
        service = canonical(service);
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("account", target.account().name());
        ids.put("account_id", target.account().accountId());
        ids.put("region", target.region());
        if (cluster != null) {
            ids.put("cluster", cluster);
        }
        if (service != null) {
            ids.put("service", service);
        }
        return new ActionDescriptor(PROVIDER, kind, target.account().environment(), name, ids, change);
    }

    /**
     * The name in an ECS ARN ({@code arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME} → {@code NAME},
     * {@code …:cluster/NAME} → {@code NAME}); anything else as it is.
     */
    public static String canonical(String nameOrArn) {
        if (nameOrArn == null || !nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    }

    /** A result object that starts with account, account_id and region. */
    public static ObjectNode result(AwsTarget target) {
        return AccountRegion.of(target).json();
    }

    /** The part of an ECS ARN after the last '/', or the value itself when it is a plain name. */
    public static String shortName(String nameOrArn) {
        if (nameOrArn == null) {
            return null;
        }
        int slash = nameOrArn.lastIndexOf('/');
        return slash < 0 ? nameOrArn : nameOrArn.substring(slash + 1);
    }
}
