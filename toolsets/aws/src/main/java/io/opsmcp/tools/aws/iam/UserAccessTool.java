package io.opsmcp.tools.aws.iam;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.LoginProfile;
import software.amazon.awssdk.services.iam.model.MFADevice;
import software.amazon.awssdk.services.iam.model.User;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code iam_user_access}: how one IAM user can get in — console password (exists, last used, reset required), MFA
 * devices, access keys with age and last use (date, service, region), and the groups and policies (names) that
 * say what they may do. Findings flag what an access review looks for: a console password without MFA, keys
 * unused for {@link Iam#STALE_AFTER} or older than {@link Iam#ROTATE_AFTER}.
 */
public final class UserAccessTool extends AwsTool {

    public UserAccessTool(Accounts accounts) {
        super(accounts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode in = Schemas.scoped();
        in.set("user_name", IamArgs.USER_NAME.schema());
        ObjectNode out = Schemas.scopedOutput();
        out.set("user_name", JsonSchemas.type("string", "IAM user"));
        out.set("arn", JsonSchemas.type("string", "user ARN"));
        out.set("created", JsonSchemas.type("string", "ISO-8601"));
        out.set(
                "console",
                JsonSchemas.type(
                        "object",
                        "enabled, created, password_last_used, password_reset_required (absent: no console)"));
        out.set(
                "mfa_devices",
                JsonSchemas.arrayOf(JsonSchemas.type("object", "serial_number, enabled_at"), "MFA devices"));
        out.set(
                "access_keys",
                JsonSchemas.arrayOf(
                        JsonSchemas.type(
                                "object",
                                "key (masked AKIA…WXYZ), status (Active/Inactive), created, age_days,"
                                        + " last_used {date, service, region} (absent: never used), stale, rotate"),
                        "access keys"));
        out.set("groups", JsonSchemas.arrayOf(JsonSchemas.type("string", "group"), "groups"));
        out.set(
                "attached_policies",
                JsonSchemas.arrayOf(JsonSchemas.type("string", "managed policy name"), "attached managed policies"));
        out.set(
                "inline_policies",
                JsonSchemas.arrayOf(JsonSchemas.type("string", "inline policy name"), "inline policies"));
        out.set("findings", JsonSchemas.arrayOf(JsonSchemas.type("string", "finding"), "what a review flags"));
        return new ToolDefinition(
                "iam_user_access",
                "IAM user access",
                "How one IAM user signs in and what with: console password (last used, reset required), MFA"
                        + " devices, access keys (masked, status, age, last use by service and region), groups and"
                        + " policy names. Flags stale keys and console access without MFA.",
                JsonSchemas.input(in, "user_name"),
                JsonSchemas.output(out, "account", "account_id", "region", "user_name", "access_keys"),
                ToolAnnotations.readOnly());
    }

    /** Provider aws, kind {@code iam:user}, name the user; no AWS call. */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String user = IamArgs.USER_NAME.read(args);
        return Iam.descriptor(t, Iam.USER, user, user, null, null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String name = IamArgs.USER_NAME.read(args);
        Instant now = Instant.now();
        User user = Iam.user(t, name);
        Optional<LoginProfile> login = Iam.loginProfile(t, name);
        List<MFADevice> mfa = new ArrayList<>();
        t.call(AwsAction.IAM_LIST_MFA_DEVICES, "the MFA devices of " + name, () -> {
            t.iam().listMFADevicesPaginator(b -> b.userName(name)).mfaDevices().forEach(mfa::add);
            return null;
        });
        List<AccessKeyMetadata> keys = Iam.keys(t, name);
        List<String> groups = new ArrayList<>();
        t.call(AwsAction.IAM_LIST_GROUPS_FOR_USER, "the groups of " + name, () -> {
            t.iam().listGroupsForUserPaginator(b -> b.userName(name)).groups().forEach(g -> groups.add(g.groupName()));
            return null;
        });
        List<String> attached = new ArrayList<>();
        t.call(AwsAction.IAM_LIST_ATTACHED_USER_POLICIES, "the attached policies of " + name, () -> {
            t.iam()
                    .listAttachedUserPoliciesPaginator(b -> b.userName(name))
                    .attachedPolicies()
                    .forEach(p -> attached.add(p.policyName()));
            return null;
        });
        List<String> inline = new ArrayList<>();
        t.call(AwsAction.IAM_LIST_USER_POLICIES, "the inline policies of " + name, () -> {
            t.iam()
                    .listUserPoliciesPaginator(b -> b.userName(name))
                    .policyNames()
                    .forEach(inline::add);
            return null;
        });

        List<String> findings = new ArrayList<>();
        ObjectNode out = result(t);
        out.put("user_name", user.userName());
        out.put("arn", user.arn());
        out.put("created", Iam.iso(user.createDate()));
        StringBuilder text = new StringBuilder("IAM user " + user.userName() + " in " + t.where() + "\n");
        if (login.isPresent()) {
            LoginProfile p = login.get();
            ObjectNode console = out.putObject("console");
            console.put("enabled", true);
            console.put("created", Iam.iso(p.createDate()));
            console.put("last_sign_in", Iam.iso(user.passwordLastUsed()));
            console.put("password_reset_required", Boolean.TRUE.equals(p.passwordResetRequired()));
            text.append("console: password set ")
                    .append(Iam.iso(p.createDate()))
                    .append(", last used ")
                    .append(user.passwordLastUsed() == null ? "never" : Iam.iso(user.passwordLastUsed()))
                    .append(Boolean.TRUE.equals(p.passwordResetRequired()) ? ", must be changed at next sign-in" : "")
                    .append('\n');
            if (mfa.isEmpty()) {
                findings.add("console password without MFA");
            }
        } else {
            text.append("console: no password (no console sign-in)\n");
        }
        ArrayNode devices = out.putArray("mfa_devices");
        for (MFADevice d : mfa) {
            devices.addObject().put("serial_number", d.serialNumber()).put("enabled_at", Iam.iso(d.enableDate()));
            text.append("MFA: ")
                    .append(d.serialNumber())
                    .append(" (since ")
                    .append(Iam.iso(d.enableDate()))
                    .append(")\n");
        }
        ArrayNode keyList = out.putArray("access_keys");
        for (AccessKeyMetadata k : keys) {
            Iam.KeyUse use = Iam.lastUsed(t, k.accessKeyId());
            AccessKeyLastUsed last = use.lastUsed();
            Instant lastDate = last == null ? null : last.lastUsedDate();
            boolean active = "Active".equals(k.statusAsString());
            Instant reference = lastDate != null ? lastDate : k.createDate();
            boolean stale = active && reference != null && reference.isBefore(now.minus(Iam.STALE_AFTER));
            boolean rotate = active && k.createDate() != null && k.createDate().isBefore(now.minus(Iam.ROTATE_AFTER));
            String masked = Iam.mask(k.accessKeyId());
            ObjectNode key = keyList.addObject();
            key.put("key", masked);
            key.put("status", k.statusAsString());
            key.put("created", Iam.iso(k.createDate()));
            key.put("age_days", Iam.days(k.createDate(), now));
            if (lastDate != null) {
                key.putObject("last_used")
                        .put("date", Iam.iso(lastDate))
                        .put("service", last.serviceName())
                        .put("region", last.region());
            }
            key.put("stale", stale);
            key.put("rotate", rotate);
            text.append("key ")
                    .append(masked)
                    .append(' ')
                    .append(k.statusAsString())
                    .append(", created ")
                    .append(Iam.days(k.createDate(), now))
                    .append(" days ago, last used ")
                    .append(
                            lastDate == null
                                    ? "never"
                                    : Iam.iso(lastDate) + " (" + last.serviceName() + ", " + last.region() + ")")
                    .append('\n');
            if (stale) {
                findings.add("access key " + masked + " is active but unused for " + Iam.STALE_AFTER.toDays()
                        + "+ days: deactivate it (iam_deactivate_access_key)");
            }
            if (rotate) {
                findings.add(
                        "access key " + masked + " is older than " + Iam.ROTATE_AFTER.toDays() + " days: rotate it");
            }
        }
        ArrayNode g = out.putArray("groups");
        groups.forEach(g::add);
        ArrayNode a = out.putArray("attached_policies");
        attached.forEach(a::add);
        ArrayNode i = out.putArray("inline_policies");
        inline.forEach(i::add);
        ArrayNode f = out.putArray("findings");
        findings.forEach(f::add);
        text.append("groups: ")
                .append(groups.isEmpty() ? "none" : String.join(", ", groups))
                .append("\npolicies: ")
                .append(attached.isEmpty() && inline.isEmpty() ? "none" : String.join(", ", attached))
                .append(
                        inline.isEmpty()
                                ? ""
                                : (attached.isEmpty() ? "" : ", ") + "inline " + String.join(", ", inline))
                .append('\n');
        findings.forEach(x -> text.append("FINDING: ").append(x).append('\n'));
        return ToolResult.ok(text.toString(), out);
    }
}
