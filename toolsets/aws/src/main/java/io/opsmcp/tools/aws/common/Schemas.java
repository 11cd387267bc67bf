package io.opsmcp.tools.aws.common;

import io.opsmcp.core.tool.JsonSchemas;
import tools.jackson.databind.node.ObjectNode;

/** Schema pieces specific to the AWS tools; the general builders are in {@link JsonSchemas}. */
public final class Schemas {

    private Schemas() {
    }

    /** Properties with the {@code account} and {@code region} arguments every AWS tool takes. */
    public static ObjectNode scoped() {
        ObjectNode p = JsonSchemas.properties();
        p.set("account", JsonSchemas.pattern("Configured AWS account name (default: the first configured account).",
                Args.ACCOUNT, 63));
        p.set("region", JsonSchemas.pattern(
                "AWS region (default: the account's default_region; must be one it allows).", Args.REGION, 32));
        return p;
    }

    /** {@link #scoped()} plus {@code cluster} and {@code service}. */
    public static ObjectNode service() {
        ObjectNode p = scoped();
        p.set("cluster", JsonSchemas.pattern("ECS cluster name or ARN.", Args.CLUSTER, 2048));
        p.set("service", JsonSchemas.pattern("ECS service name or ARN.", Args.SERVICE, 2048));
        return p;
    }

    /** The output members every AWS tool returns: account, account_id, region. */
    public static ObjectNode scopedOutput() {
        ObjectNode p = JsonSchemas.properties();
        p.set("account", JsonSchemas.type("string", "configured account name"));
        p.set("account_id", JsonSchemas.type("string", "12-digit account id"));
        p.set("region", JsonSchemas.type("string", "region"));
        return p;
    }
}
