package io.opsmcp.tools.aws.iam;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.ApiRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.iam.model.LoginProfile;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code iam_reset_console_password}: sets a generated console password that must be changed at the next sign-in,
 * and delivers it only out of band — into the Secrets Manager secret the account configures
 * ({@code aws.accounts[].password_reset_secret}, {@code {user}} standing for the user name), which the operator
 * makes readable by that user. The password exists only inside {@link #planChange}'s sender: the result, the
 * preview, the audit and the logs name the secret (name, account, region, version id), never the password.
 *
 * <p>Order: the secret first (PutSecretValue), then the profile (UpdateLoginProfile). Should the second fail, the
 * user still has the old password and the secret holds one that was never set; the reverse order could leave a
 * password nobody can read.
 */
public final class ResetConsolePasswordTool extends IamChangeTool {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final ConsolePasswords passwords;

    public ResetConsolePasswordTool(Accounts accounts) {
        this(accounts, new ConsolePasswords(new SecureRandom()));
    }

    ResetConsolePasswordTool(Accounts accounts, ConsolePasswords passwords) {
        super(
                accounts,
                definition(
                        "iam_reset_console_password",
                        "Reset a console password (out of band)",
                        "Sets a new generated console password for an IAM user, to be changed at the next"
                                + " sign-in, and puts it in the account's configured Secrets Manager secret for"
                                + " that user. The password is never returned: tell the user where to read it.",
                        JSON.objectNode(),
                        List.of(),
                        false));
        this.passwords = passwords;
    }

    /** Where the password went: service, account, region and the secret's name. */
    private static ObjectNode location(String name, String accountId, String region) {
        return JSON.objectNode()
                .put("service", "secretsmanager")
                .put("account_id", accountId)
                .put("region", region)
                .put("name", name);
    }

    @Override
    Change planChange(AwsTarget t, String user, ObjectNode args) {
        String secretArn = t.account().passwordResetSecretFor(user);
        if (secretArn == null) {
            throw new ToolException(
                    ToolException.Kind.FORBIDDEN,
                    "account " + t.account().name() + " has no password_reset_secret (aws.accounts[]."
                            + "password_reset_secret): this tool delivers passwords only into that Secrets Manager"
                            + " secret, never to the caller; use iam_require_password_reset instead");
        }
        if (user.contains(",")) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT,
                    "user_name: " + user + " contains ',', which a Secrets Manager secret name cannot");
        }
        Iam.user(t, user);
        LoginProfile profile = Iam.loginProfile(t, user)
                .orElseThrow(() -> new ToolException(
                        ToolException.Kind.NOT_FOUND,
                        "IAM user " + user + " in " + t.where() + " has no console password (no login profile);"
                                + " this tool resets an existing one"));
        String secretRegion = secretArn.split(":")[3];
        // The secret is named by name, account and region, never as its ARN: the server's redactor reads an ARN's
        // ":secret:NAME" as a key-value pair and would blank the name the user needs.
        String secretName = secretArn.substring(secretArn.indexOf(":secret:") + ":secret:".length());
        String where = "Secrets Manager secret " + secretName + " (account "
                + t.account().accountId() + ", region " + secretRegion + ")";
        ObjectNode putParams = JSON.objectNode()
                .put("SecretId", secretArn)
                .put("SecretString", "(generated password, " + ConsolePasswords.LENGTH + " characters)");
        ObjectNode updateParams = JSON.objectNode()
                .put("UserName", user)
                .put("Password", "(the same generated password)")
                .put("PasswordResetRequired", true);
        return new Change(
                t,
                user,
                Iam.USER,
                user,
                null,
                new ChangePreview(
                        "set a new generated console password for IAM user " + user
                                + " (to be changed at the next sign-in), delivered to " + where,
                        JSON.objectNode()
                                .put("login_profile_created", Iam.iso(profile.createDate()))
                                .put("password_reset_required", Boolean.TRUE.equals(profile.passwordResetRequired())),
                        JSON.objectNode()
                                .put("password_reset_required", true)
                                .set(
                                        "delivered_to",
                                        location(secretName, t.account().accountId(), secretRegion))),
                List.of(
                        new ApiRequest(AwsAction.SECRETSMANAGER_PUT_SECRET_VALUE, putParams),
                        new ApiRequest(AwsAction.IAM_UPDATE_LOGIN_PROFILE, updateParams)),
                () -> {
                    String password = passwords.next();
                    ObjectNode secret = JSON.objectNode()
                            .put("user_name", user)
                            .put("password", password)
                            .put("password_reset_required", true)
                            .put("sign_in_url", "https://" + t.account().accountId() + ".signin.aws.amazon.com/console")
                            .put("set_at", Instant.now().toString());
                    PutSecretValueResponse put = t.call(
                            AwsAction.SECRETSMANAGER_PUT_SECRET_VALUE,
                            "secret " + secretArn,
                            () -> t.secretsManager(secretRegion)
                                    .putSecretValue(b -> b.secretId(secretArn)
                                            .clientRequestToken(
                                                    UUID.randomUUID().toString())
                                            .secretString(MAPPER.writeValueAsString(secret))));
                    t.call(
                            AwsAction.IAM_UPDATE_LOGIN_PROFILE,
                            "the console login profile of " + user,
                            () -> t.iam()
                                    .updateLoginProfile(b ->
                                            b.userName(user).password(password).passwordResetRequired(true)));
                    ObjectNode delivered = location(secretName, t.account().accountId(), secretRegion);
                    delivered.put("version_id", put.versionId());
                    return JSON.objectNode()
                            .put("password_reset_required", true)
                            .set("delivered_to", delivered);
                });
    }
}
