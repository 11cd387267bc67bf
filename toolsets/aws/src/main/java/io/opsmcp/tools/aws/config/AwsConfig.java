package io.opsmcp.tools.aws.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The {@code aws:} section of the configuration, validated. Format and example: {@code toolsets/aws/README.md}.
 *
 * @param accounts    accounts in configuration order (the first is the default), names unique
 * @param maxAttempts attempts per AWS API call including the first, for the SDK's standard retry mode
 *                    (throttling and 5xx are retried with exponential backoff and jitter)
 * @param iamTools    whether the IAM access tools are offered ({@code aws.iam_tools}, default false): they change
 *                    who can sign in, so an operator turns them on (and grants their IAM actions) deliberately
 */
public record AwsConfig(List<AwsAccount> accounts, int maxAttempts, boolean iamTools) {

    /** Account names: the {@code account} tool argument. */
    public static final String NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";
    /** AWS region codes such as {@code eu-west-1}, {@code us-gov-west-1}, {@code ap-southeast-4}. */
    public static final String REGION_PATTERN = "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Pattern REGION = Pattern.compile(REGION_PATTERN);
    private static final Pattern ACCOUNT_ID = Pattern.compile("^[0-9]{12}$");
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$");
    private static final Pattern SESSION_NAME = Pattern.compile("^[\\w+=,.@-]{2,64}$");
    /**
     * A Secrets Manager secret ARN (AWS Secrets Manager API, {@code SecretId}: name characters
     * {@code /_+=.@-}), optionally with the {@code {user}} placeholder.
     */
    private static final Pattern SECRET_ARN = Pattern.compile(
            "^arn:aws[a-z-]*:secretsmanager:([a-z]{2}(-[a-z]+)+-[0-9]{1,2}):([0-9]{12}):secret:[A-Za-z0-9/_+=.@{}-]{1,512}$");

    private static final Pattern LABEL = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");

    static final int DEFAULT_MAX_ATTEMPTS = 4;
    static final int DEFAULT_POLL_SECONDS = 10;

    public AwsConfig {
        accounts = List.copyOf(accounts);
    }

    /** Without the IAM access tools. */
    public AwsConfig(List<AwsAccount> accounts, int maxAttempts) {
        this(accounts, maxAttempts, false);
    }

    /**
     * Reads {@code aws:} from the whole configuration tree.
     *
     * @throws IllegalArgumentException naming the setting and the rule, e.g.
     *                                  {@code aws.accounts[0].default_region: 'eu-west' is not a region code}
     */
    public static AwsConfig parse(JsonNode settings) {
        JsonNode aws = settings == null ? null : settings.get("aws");
        if (aws == null || aws.isNull()) {
            throw new IllegalArgumentException("aws.accounts: at least one account is required when the aws toolset"
                    + " is enabled (see toolsets/aws/README.md)");
        }
        if (!aws.isObject()) {
            throw new IllegalArgumentException("aws: must be a mapping with `accounts`");
        }
        allowOnly(aws, "aws", Set.of("accounts", "max_attempts", "iam_tools"));
        JsonNode iam = aws.get("iam_tools");
        if (iam != null && !iam.isNull() && !iam.isBoolean()) {
            throw new IllegalArgumentException("aws.iam_tools: must be true or false");
        }
        boolean iamTools = iam != null && iam.asBoolean(false);
        int maxAttempts = integer(aws, "max_attempts", "aws.max_attempts", DEFAULT_MAX_ATTEMPTS, 1, 10);
        JsonNode list = aws.get("accounts");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("aws.accounts: must be a non-empty list of accounts");
        }
        List<AwsAccount> accounts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "aws.accounts[" + i + "]";
            AwsAccount account = account(list.get(i), at);
            if (!names.add(account.name())) {
                throw new IllegalArgumentException(at + ".name: '" + account.name()
                        + "' is already used by another account; names must be unique");
            }
            accounts.add(account);
        }
        return new AwsConfig(accounts, maxAttempts, iamTools);
    }

    private static AwsAccount account(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    at + ": must be a mapping with name, account_id, environment," + " default_region and credentials");
        }
        allowOnly(
                node,
                at,
                Set.of(
                        "name",
                        "account_id",
                        "environment",
                        "default_region",
                        "regions",
                        "credentials",
                        "endpoint_url",
                        "deployment_poll_seconds",
                        "password_reset_secret"));
        String name = string(node, "name", at + ".name", true);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(at + ".name: '" + name + "' must match " + NAME_PATTERN);
        }
        JsonNode idNode = node.get("account_id");
        String accountId = idNode != null && idNode.isIntegralNumber()
                ? String.format("%012d", idNode.longValue())
                : string(node, "account_id", at + ".account_id", true);
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException(
                    at + ".account_id: must be 12 digits (quote it in YAML to keep " + "leading zeros)");
        }
        String environment = string(node, "environment", at + ".environment", true);
        if (!LABEL.matcher(environment).matches()) {
            throw new IllegalArgumentException(
                    at + ".environment: '" + environment + "' must match " + LABEL.pattern());
        }
        String defaultRegion =
                region(string(node, "default_region", at + ".default_region", true), at + ".default_region");
        List<String> regions = new ArrayList<>();
        JsonNode regionList = node.get("regions");
        if (regionList == null || regionList.isNull()) {
            regions.add(defaultRegion);
        } else {
            if (!regionList.isArray() || regionList.isEmpty()) {
                throw new IllegalArgumentException(at + ".regions: must be a non-empty list of region codes");
            }
            for (int r = 0; r < regionList.size(); r++) {
                JsonNode v = regionList.get(r);
                if (!v.isString()) {
                    throw new IllegalArgumentException(at + ".regions[" + r + "]: must be a region code");
                }
                String region = region(v.asString(), at + ".regions[" + r + "]");
                if (!regions.contains(region)) {
                    regions.add(region);
                }
            }
            if (!regions.contains(defaultRegion)) {
                throw new IllegalArgumentException(
                        at + ".default_region: '" + defaultRegion + "' must be one of regions " + regions);
            }
        }
        URI endpoint = null;
        if (node.hasNonNull("endpoint_url")) {
            String raw = string(node, "endpoint_url", at + ".endpoint_url", true);
            try {
                endpoint = URI.create(raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".endpoint_url: not a valid URL");
            }
            if (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
                    || endpoint.getHost() == null) {
                throw new IllegalArgumentException(
                        at + ".endpoint_url: must be an http:// or https:// URL with a host");
            }
        }
        CredentialsSpec credentials = credentials(node.get("credentials"), at + ".credentials", endpoint);
        int poll =
                integer(node, "deployment_poll_seconds", at + ".deployment_poll_seconds", DEFAULT_POLL_SECONDS, 1, 60);
        String secret = passwordResetSecret(node, at + ".password_reset_secret", accountId);
        return new AwsAccount(
                name,
                accountId,
                environment,
                defaultRegion,
                regions,
                credentials,
                endpoint,
                Duration.ofSeconds(poll),
                secret);
    }

    /**
     * {@code password_reset_secret}: a Secrets Manager ARN in the account itself (the user reads it with their own
     * credentials), {@code {user}} the only placeholder.
     */
    private static String passwordResetSecret(JsonNode node, String at, String accountId) {
        String arn = string(node, "password_reset_secret", at, false);
        if (arn == null) {
            return null;
        }
        Matcher m = SECRET_ARN.matcher(arn);
        if (!m.matches()) {
            throw new IllegalArgumentException(at + ": must be a Secrets Manager secret ARN "
                    + "(arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:NAME, {user} for the IAM user name)");
        }
        if (!m.group(3).equals(accountId)) {
            throw new IllegalArgumentException(
                    at + ": the secret must be in the account itself (" + accountId + "), not " + m.group(3));
        }
        String rest = arn.replace(AwsAccount.USER_PLACEHOLDER, "");
        if (rest.contains("{") || rest.contains("}")) {
            throw new IllegalArgumentException(at + ": {user} is the only placeholder");
        }
        return arn;
    }

    private static CredentialsSpec credentials(JsonNode node, String at, URI endpoint) {
        if (node == null || node.isNull()) {
            return new CredentialsSpec.DefaultChain();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping with `type` (default, profile, assume_role)");
        }
        String type = string(node, "type", at + ".type", true);
        switch (type) {
            case "default" -> {
                allowOnly(node, at, Set.of("type"));
                return new CredentialsSpec.DefaultChain();
            }
            case "profile" -> {
                allowOnly(node, at, Set.of("type", "profile"));
                return new CredentialsSpec.Profile(profileName(node, "profile", at + ".profile", true));
            }
            case "assume_role" -> {
                allowOnly(node, at, Set.of("type", "role_arn", "external_id", "session_name", "source_profile"));
                String roleArn = string(node, "role_arn", at + ".role_arn", true);
                if (!ROLE_ARN.matcher(roleArn).matches()) {
                    throw new IllegalArgumentException(
                            at + ".role_arn: must be an IAM role ARN " + "(arn:aws:iam::123456789012:role/NAME)");
                }
                String externalId = string(node, "external_id", at + ".external_id", false);
                if (externalId != null && !externalId.matches("^[\\w+=,.@:/-]{2,1224}$")) {
                    throw new IllegalArgumentException(
                            at + ".external_id: must be 2..1224 characters of " + "letters, digits and +=,.@:/-");
                }
                String session = string(node, "session_name", at + ".session_name", false);
                if (session == null) {
                    session = "ops-mcp";
                } else if (!SESSION_NAME.matcher(session).matches()) {
                    throw new IllegalArgumentException(at + ".session_name: must match " + SESSION_NAME.pattern());
                }
                return new CredentialsSpec.AssumeRole(
                        roleArn,
                        externalId,
                        session,
                        profileName(node, "source_profile", at + ".source_profile", false));
            }
            case "static" -> {
                allowOnly(node, at, Set.of("type", "access_key_id", "secret_access_key"));
                if (endpoint == null || !isLoopback(endpoint.getHost())) {
                    throw new IllegalArgumentException(at + ".type: static credentials are only accepted for an "
                            + "endpoint_url on a loopback address (the sandbox); use default, profile or assume_role");
                }
                return new CredentialsSpec.Static(
                        string(node, "access_key_id", at + ".access_key_id", true),
                        string(node, "secret_access_key", at + ".secret_access_key", true));
            }
            default ->
                throw new IllegalArgumentException(
                        at + ".type: must be default, profile or assume_role, not '" + type + "'");
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("^[0-9.]+$|^\\[?[0-9a-fA-F:]+]?$")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String profileName(JsonNode node, String field, String at, boolean required) {
        String value = string(node, field, at, required);
        if (value != null && !value.matches("^[\\w.@+-]{1,64}$")) {
            throw new IllegalArgumentException(at + ": '" + value + "' is not a profile name");
        }
        return value;
    }

    private static String region(String value, String at) {
        if (!REGION.matcher(value).matches()) {
            throw new IllegalArgumentException(at + ": '" + value + "' is not a region code (like eu-west-1)");
        }
        return value;
    }

    private static String string(JsonNode node, String field, String at, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(at + ": is required");
            }
            return null;
        }
        if (!v.isString() || v.asString().isBlank()) {
            throw new IllegalArgumentException(at + ": must be a non-empty string");
        }
        return v.asString().strip();
    }

    private static int integer(JsonNode node, String field, String at, int fallback, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw new IllegalArgumentException(at + ": must be an integer " + min + ".." + max + ", not " + v);
        }
        return v.intValue();
    }

    private static void allowOnly(JsonNode node, String at, Set<String> allowed) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            if (!allowed.contains(key)) {
                // the wording of the toolkit's ConfigBinding, so every toolset reports a misspelt key alike
                throw new IllegalArgumentException(at + "." + key + ": unknown setting; valid: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }
}
