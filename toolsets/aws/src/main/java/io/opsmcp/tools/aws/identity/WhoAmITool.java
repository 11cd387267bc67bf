package io.opsmcp.tools.aws.identity;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import tools.jackson.databind.node.ObjectNode;

/** {@code aws_whoami}: who the configured credentials are (STS GetCallerIdentity, which needs no permission). */
public final class WhoAmITool extends AwsTool {

    public WhoAmITool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode out = Schemas.scopedOutput();
        out.set("environment", JsonSchemas.type("string", "environment of the account"));
        out.set("arn", JsonSchemas.type("string", "ARN of the caller (user or assumed role)"));
        out.set("user_id", JsonSchemas.type("string", "unique id of the caller"));
        out.set("caller_account_id", JsonSchemas.type("string", "account the credentials belong to"));
        out.set("account_matches", JsonSchemas.type("boolean", "caller account equals the configured account_id"));
        return new ToolDefinition(
                "aws_whoami",
                "AWS caller identity",
                "Which identity an account's credentials resolve to (STS), and whether it is the "
                        + "configured account. Use first on access errors.",
                JsonSchemas.input(Schemas.scoped()),
                JsonSchemas.output(out, "account", "account_id", "region", "arn", "account_matches"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        return descriptor(t, "sts:caller-identity", t.account().name(), null, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        GetCallerIdentityResponse id = t.call(
                AwsAction.STS_GET_CALLER_IDENTITY,
                "the caller identity",
                () -> t.sts().getCallerIdentity());
        ObjectNode out = result(t);
        out.put("environment", t.account().environment());
        out.put("arn", id.arn());
        out.put("user_id", id.userId());
        out.put("caller_account_id", id.account());
        boolean matches = t.account().accountId().equals(id.account());
        out.put("account_matches", matches);
        String text = t.where() + " (environment " + t.account().environment() + "): " + id.arn()
                + (matches
                        ? ""
                        : "\nWARNING: the credentials belong to account " + id.account() + ", not the configured "
                                + t.account().accountId());
        return ToolResult.ok(text, out);
    }
}
