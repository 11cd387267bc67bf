package io.opsmcp.tools.aws.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One configured AWS account ({@code aws.accounts[i]}).
 *
 * @param name              the {@code account} argument of the tools, unique
 * @param accountId         12-digit account id
 * @param environment       environment the account belongs to ({@code prod}, {@code staging}, …), for the policy
 * @param defaultRegion     region used when a call names none
 * @param regions           allowed regions; always contains {@code defaultRegion}
 * @param credentials       where credentials come from
 * @param endpointUrl       endpoint every client of this account is pointed at instead of AWS (sandbox, local
 *                          emulators), or {@code null}
 * @param deploymentPoll    how often mutating tools poll the deployment while waiting for it to settle
 * @param passwordResetSecret the Secrets Manager secret ARN {@code iam_reset_console_password} writes a new console
 *                          password to, {@code {user}} standing for the IAM user name; {@code null}: the tool refuses
 */
public record AwsAccount(
        String name,
        String accountId,
        String environment,
        String defaultRegion,
        List<String> regions,
        CredentialsSpec credentials,
        URI endpointUrl,
        Duration deploymentPoll,
        String passwordResetSecret) {

    public AwsAccount {
        regions = List.copyOf(regions);
    }

    /** The account without a password reset secret (the tool that needs one refuses). */
    public AwsAccount(
            String name,
            String accountId,
            String environment,
            String defaultRegion,
            List<String> regions,
            CredentialsSpec credentials,
            URI endpointUrl,
            Duration deploymentPoll) {
        this(name, accountId, environment, defaultRegion, regions, credentials, endpointUrl, deploymentPoll, null);
    }

    /** The secret ARN for {@code userName}: {@link #passwordResetSecret} with {@code {user}} replaced; null if none. */
    public String passwordResetSecretFor(String userName) {
        return passwordResetSecret == null ? null : passwordResetSecret.replace(USER_PLACEHOLDER, userName);
    }

    /** Where the IAM user name goes in {@link #passwordResetSecret}. */
    public static final String USER_PLACEHOLDER = "{user}";

    /** {@code account NAME (ID)}, the way messages name the account. */
    public String label() {
        return "account " + name + " (" + accountId + ")";
    }
}
