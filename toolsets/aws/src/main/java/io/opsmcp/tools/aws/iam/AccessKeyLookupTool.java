package io.opsmcp.tools.aws.iam;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import io.opsmcp.tools.aws.config.AwsAccount;
import io.opsmcp.tools.aws.config.AwsConfig;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code iam_access_key_lookup}: whose key is this? For incident response on a key id found in a log or a leak
 * report. STS GetAccessKeyInfo names the account the key belongs to (any key, any account); when that is the
 * called account, IAM GetAccessKeyLastUsed names its user and last use, and ListAccessKeys its status and age.
 * A key of another configured account is not read from there: the result names that account, so the next call
 * is decided by the policy for that account.
 */
public final class AccessKeyLookupTool extends AwsTool {

    private final AwsConfig config;

    public AccessKeyLookupTool(Accounts accounts, AwsConfig config) {
        super(accounts);
        this.config = config;
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("access_key_id", IamArgs.ACCESS_KEY_ID.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("key", JsonSchemas.type("string", "the key, masked (AKIA…WXYZ)"));
        out.set("temporary", JsonSchemas.type("boolean", "STS temporary credentials (ASIA…), no IAM user"));
        out.set("owner_account_id", JsonSchemas.type("string", "account the key belongs to"));
        out.set(
                "owner_account",
                JsonSchemas.type("string", "configured name of that account; absent: not a configured account"));
        out.set("user_name", JsonSchemas.type("string", "IAM user owning the key (only for this account)"));
        out.set("status", JsonSchemas.type("string", "Active or Inactive"));
        out.set("created", JsonSchemas.type("string", "ISO-8601"));
        out.set("last_used", JsonSchemas.type("object", "date, service, region; absent: never used"));
        out.set("next_steps", JsonSchemas.arrayOf(JsonSchemas.type("string", "step"), "what to do next"));
        return new ToolDefinition(
                "iam_access_key_lookup",
                "Look up an access key",
                "Which account and IAM user own an access key id (e.g. from a leak report), its status, age and"
                        + " last use. Start of the leaked-key runbook.",
                JsonSchemas.input(in, "access_key_id"),
                JsonSchemas.output(out, "account", "account_id", "region", "key", "owner_account_id"),
                ToolAnnotations.readOnly());
    }

    /** Provider aws, kind {@code iam:access-key}, name the masked key, in the called account; no AWS call. */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String masked = Iam.mask(IamArgs.ACCESS_KEY_ID.read(args));
        return Iam.descriptor(t, Iam.ACCESS_KEY, masked, null, masked, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String keyId = IamArgs.ACCESS_KEY_ID.read(args);
        String masked = Iam.mask(keyId);
        String owner = t.call(
                        AwsAction.STS_GET_ACCESS_KEY_INFO,
                        "access key " + masked,
                        () -> t.sts().getAccessKeyInfo(b -> b.accessKeyId(keyId)))
                .account();
        ObjectNode out = result(t);
        out.put("key", masked);
        boolean temporary = Iam.temporary(keyId);
        out.put("temporary", temporary);
        out.put("owner_account_id", owner);
        List<String> configured = config.accounts().stream()
                .filter(a -> a.accountId().equals(owner))
                .map(AwsAccount::name)
                .toList();
        if (!configured.isEmpty()) {
            out.put("owner_account", configured.get(0));
        }
        StringBuilder text = new StringBuilder("access key " + masked + " belongs to account " + owner
                + (configured.isEmpty() ? " (not a configured account)" : " (configured as " + configured.get(0) + ")")
                + "\n");
        var steps = out.putArray("next_steps");
        if (!owner.equals(t.account().accountId())) {
            String step = configured.isEmpty()
                    ? "the key is not in any configured account: report it to the owner of account " + owner
                    : "look it up in its own account: iam_access_key_lookup with account " + configured.get(0);
            steps.add(step);
            return ToolResult.ok(text.append(step).append('\n').toString(), out);
        }
        if (temporary) {
            String step = "temporary credentials have no IAM user: find the role session in CloudTrail and revoke"
                    + " the role's active sessions";
            steps.add(step);
            return ToolResult.ok(text.append(step).append('\n').toString(), out);
        }
        Iam.KeyUse use = Iam.lastUsed(t, keyId);
        if (use.userName() == null) {
            throw new ToolException(
                    ToolException.Kind.NOT_FOUND,
                    "access key " + masked + " belongs to " + t.where() + " but IAM names no user for it");
        }
        out.put("user_name", use.userName());
        AccessKeyMetadata key = Iam.keys(t, use.userName()).stream()
                .filter(k -> k.accessKeyId().equals(keyId))
                .findFirst()
                .orElse(null);
        Instant now = Instant.now();
        text.append("user: ").append(use.userName()).append('\n');
        if (key != null) {
            out.put("status", key.statusAsString());
            out.put("created", Iam.iso(key.createDate()));
            text.append("status: ")
                    .append(key.statusAsString())
                    .append(", created ")
                    .append(Iam.iso(key.createDate()))
                    .append(" (")
                    .append(Iam.days(key.createDate(), now))
                    .append(" days ago)\n");
        }
        AccessKeyLastUsed last = use.lastUsed();
        if (last == null || last.lastUsedDate() == null) {
            text.append("last used: never\n");
        } else {
            out.putObject("last_used")
                    .put("date", Iam.iso(last.lastUsedDate()))
                    .put("service", last.serviceName())
                    .put("region", last.region());
            text.append("last used: ")
                    .append(Iam.iso(last.lastUsedDate()))
                    .append(" by ")
                    .append(last.serviceName())
                    .append(" in ")
                    .append(last.region())
                    .append('\n');
        }
        if (key != null && "Active".equals(key.statusAsString())) {
            steps.add("deactivate it now: iam_deactivate_access_key with user_name " + use.userName()
                    + " and this access_key_id");
        }
        steps.add("review the user's other keys and console access with iam_user_access, user_name " + use.userName());
        steps.add("check what the key did (CloudTrail, by access key id) before deleting it");
        steps.forEach(s -> text.append("next: ").append(s.asString()).append('\n'));
        return ToolResult.ok(text.toString(), out);
    }
}
