package io.opsmcp.alerts;

import io.opsmcp.core.config.InvalidConfigException;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The {@code alerts:} section of {@code ops-mcp.yaml}: which webhook receivers are served, each with its own
 * credential and body limit, and how long alerts are kept. A receiver that is not configured is not served
 * (its endpoint answers 404). Secrets are read from the environment or a file at start and kept only as their
 * SHA-256 ({@link Secret}); a {@code sha256:} form keeps even the configuration free of a usable secret.
 *
 * <pre>
 * alerts:
 *   retention: 7d              # resolved alerts are kept this long
 *   max_alerts: 10000          # and at most this many alerts in all (least recently updated go first)
 *   aws_defaults: {account: prod, region: eu-west-1}   # for Alertmanager labels without account/region
 *   alertmanager:
 *     bearer_token: {env: OPS_MCP_ALERTMANAGER_TOKEN}   # or basic: {username: am, password: {file: /run/secrets/am}}
 *     max_body_bytes: 262144
 *   sns:
 *     topic_arns: [arn:aws:sns:eu-west-1:123456789012:ops-alarms]
 *     max_body_bytes: 65536
 *   gitlab:
 *     token: {sha256: 9f86d0…}
 *     max_body_bytes: 262144
 * </pre>
 *
 * @param retention    how long a resolved alert is kept
 * @param maxAlerts    how many alerts are kept at most
 * @param awsDefaults  {@code account} and {@code region} for alerts whose labels name an ECS service but no account
 * @param alertmanager the Alertmanager receiver, or empty
 * @param sns          the SNS receiver, or empty
 * @param gitlab       the GitLab receiver, or empty
 */
public record AlertSettings(
        Duration retention,
        int maxAlerts,
        Map<String, String> awsDefaults,
        Optional<AlertmanagerHook> alertmanager,
        Optional<SnsHook> sns,
        Optional<GitLabHook> gitlab) {

    /** Default and largest body of a webhook request. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    private static final int LARGEST_BODY_BYTES = 4 * 1024 * 1024;
    private static final Pattern TOPIC_ARN =
            Pattern.compile("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$");

    /** No receivers: nothing is served, nothing is stored. */
    public static final AlertSettings NONE = new AlertSettings(
            Duration.ofDays(7), 10_000, Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Whether any receiver is configured. */
    public boolean enabled() {
        return alertmanager.isPresent() || sns.isPresent() || gitlab.isPresent();
    }

    /** A secret compared in constant time by its SHA-256; {@link #toString()} shows nothing of it. */
    public static final class Secret {
        private final byte[] sha256;

        private Secret(byte[] sha256) {
            this.sha256 = sha256.clone();
        }

        /** The secret whose value is {@code value} (tests, and values read at start). */
        public static Secret of(String value) {
            return new Secret(digest(value));
        }

        /** Whether {@code presented} is the secret: SHA-256 both, then {@link MessageDigest#isEqual} (constant time). */
        public boolean matches(String presented) {
            return presented != null && MessageDigest.isEqual(sha256, digest(presented));
        }

        @Override
        public String toString() {
            return "Secret[redacted]";
        }

        private static byte[] digest(String value) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Alertmanager (webhook_config v4): {@code Authorization: Bearer} or Basic, as Alertmanager's
     * {@code http_config.authorization} / {@code basic_auth} sends it.
     *
     * @param bearerToken the bearer token, or {@code null} with basic
     * @param basicUser   the Basic user, or {@code null} with a bearer token
     * @param basicPassword the Basic password
     */
    public record AlertmanagerHook(Secret bearerToken, String basicUser, Secret basicPassword, int maxBodyBytes) {}

    /**
     * SNS HTTPS subscriptions: only messages from these topics are accepted (a valid AWS signature proves that
     * SNS sent a message, not that it came from the operator's topic).
     */
    public record SnsHook(List<String> topicArns, int maxBodyBytes) {
        public SnsHook {
            topicArns = List.copyOf(topicArns);
        }
    }

    /** GitLab project or group webhook with pipeline events: {@code X-Gitlab-Token}. */
    public record GitLabHook(Secret token, int maxBodyBytes) {}

    // ---- binding -------------------------------------------------------------------------------------------

    /** A secret as written: exactly one of env, file, sha256. */
    record SecretRef(String env, String file, String sha256) {}

    record BasicFile(String username, SecretRef password) {}

    record AlertmanagerFile(SecretRef bearerToken, BasicFile basic, Integer maxBodyBytes) {}

    record SnsFile(List<String> topicArns, Integer maxBodyBytes) {}

    record GitLabFile(SecretRef token, Integer maxBodyBytes) {}

    record File(
            String retention,
            Integer maxAlerts,
            Map<String, String> awsDefaults,
            AlertmanagerFile alertmanager,
            SnsFile sns,
            GitLabFile gitlab) {}

    /**
     * Reads the {@code alerts} section ({@link #NONE} when absent).
     *
     * @throws InvalidConfigException naming the field and the rule, e.g. {@code alerts.gitlab.token: required}
     */
    public static AlertSettings from(JsonNode section, Map<String, String> env) {
        return from(section, env, true);
    }

    /**
     * Checks the {@code alerts} section without reading its secrets (a CLI command that does not serve webhooks must
     * not need them): {@code env}/{@code file} secrets are checked for form only and match nothing.
     *
     * @throws InvalidConfigException as {@link #from(JsonNode, Map)}
     */
    public static void check(JsonNode section) {
        from(section, Map.of(), false);
    }

    private static AlertSettings from(JsonNode section, Map<String, String> env, boolean resolveSecrets) {
        if (section == null || section.isMissingNode() || section.isNull()) {
            return NONE;
        }
        File f;
        try {
            f = ConfigBinding.bind(section, "alerts", File.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
        Duration retention = f.retention() == null ? NONE.retention() : duration(f.retention());
        int max = f.maxAlerts() == null ? NONE.maxAlerts() : f.maxAlerts();
        if (max < 1 || max > 1_000_000) {
            throw new InvalidConfigException("alerts.max_alerts: must be between 1 and 1000000");
        }
        Map<String, String> defaults = f.awsDefaults() == null ? Map.of() : Map.copyOf(f.awsDefaults());
        for (String key : defaults.keySet()) {
            if (!List.of("account", "account_id", "region").contains(key)) {
                throw new InvalidConfigException(
                        "alerts.aws_defaults." + key + ": unknown setting; valid: account, account_id, region");
            }
        }
        Optional<AlertmanagerHook> am = Optional.empty();
        if (f.alertmanager() != null) {
            AlertmanagerFile a = f.alertmanager();
            if ((a.bearerToken() == null) == (a.basic() == null)) {
                throw new InvalidConfigException(
                        "alerts.alertmanager: give exactly one of bearer_token and basic (the credential Alertmanager's"
                                + " http_config sends)");
            }
            int limit = bodyLimit(a.maxBodyBytes(), "alerts.alertmanager.max_body_bytes");
            if (a.bearerToken() != null) {
                am = Optional.of(new AlertmanagerHook(
                        secret(a.bearerToken(), "alerts.alertmanager.bearer_token", env, resolveSecrets),
                        null,
                        null,
                        limit));
            } else {
                if (a.basic().username() == null
                        || a.basic().username().isBlank()
                        || a.basic().username().contains(":")) {
                    throw new InvalidConfigException(
                            "alerts.alertmanager.basic.username: required, without ':' (RFC 7617)");
                }
                am = Optional.of(new AlertmanagerHook(
                        null,
                        a.basic().username(),
                        secret(a.basic().password(), "alerts.alertmanager.basic.password", env, resolveSecrets),
                        limit));
            }
        }
        Optional<SnsHook> sns = Optional.empty();
        if (f.sns() != null) {
            List<String> topics = f.sns().topicArns();
            if (topics == null || topics.isEmpty()) {
                throw new InvalidConfigException(
                        "alerts.sns.topic_arns: required, the SNS topics whose messages are accepted (a valid signature"
                                + " only proves that SNS sent a message, not from which account's topic)");
            }
            for (int i = 0; i < topics.size(); i++) {
                if (topics.get(i) == null || !TOPIC_ARN.matcher(topics.get(i)).matches()) {
                    throw new InvalidConfigException("alerts.sns.topic_arns[" + i
                            + "]: must be an SNS topic ARN like arn:aws:sns:eu-west-1:123456789012:ops-alarms");
                }
            }
            sns = Optional.of(new SnsHook(topics, bodyLimit(f.sns().maxBodyBytes(), "alerts.sns.max_body_bytes")));
        }
        Optional<GitLabHook> gitlab = Optional.empty();
        if (f.gitlab() != null) {
            if (f.gitlab().token() == null) {
                throw new InvalidConfigException(
                        "alerts.gitlab.token: required, the webhook's secret token (sent as X-Gitlab-Token)");
            }
            gitlab = Optional.of(new GitLabHook(
                    secret(f.gitlab().token(), "alerts.gitlab.token", env, resolveSecrets),
                    bodyLimit(f.gitlab().maxBodyBytes(), "alerts.gitlab.max_body_bytes")));
        }
        return new AlertSettings(retention, max, defaults, am, sns, gitlab);
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse("alerts.retention", text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    private static int bodyLimit(Integer value, String field) {
        if (value == null) {
            return DEFAULT_MAX_BODY_BYTES;
        }
        if (value < 1024 || value > LARGEST_BODY_BYTES) {
            throw new InvalidConfigException(field + ": must be between 1024 and " + LARGEST_BODY_BYTES + " bytes");
        }
        return value;
    }

    private static Secret secret(SecretRef ref, String field, Map<String, String> env, boolean resolve) {
        if (ref == null) {
            throw new InvalidConfigException(field + ": required (one of env, file, sha256)");
        }
        int given = (ref.env() != null ? 1 : 0) + (ref.file() != null ? 1 : 0) + (ref.sha256() != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidConfigException(field + ": give exactly one of env, file, sha256");
        }
        if (ref.sha256() != null) {
            if (!ref.sha256().matches("^[0-9a-f]{64}$")) {
                throw new InvalidConfigException(field + ".sha256: must be 64 lowercase hex digits");
            }
            return new Secret(HexFormat.of().parseHex(ref.sha256()));
        }
        if (!resolve) {
            return new Secret(new byte[32]); // no value has an all-zero SHA-256
        }
        String value;
        if (ref.env() != null) {
            value = env.get(ref.env());
            if (value == null || value.isBlank()) {
                throw new InvalidConfigException(field + ".env: environment variable " + ref.env() + " is not set");
            }
        } else {
            try {
                value = Files.readString(Path.of(ref.file()), StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException | RuntimeException e) {
                throw new InvalidConfigException(field + ".file: cannot read " + ref.file());
            }
            if (value.isEmpty()) {
                throw new InvalidConfigException(field + ".file: " + ref.file() + " is empty");
            }
        }
        if (value.length() < 16) {
            throw new InvalidConfigException(field + ": the secret must be at least 16 characters");
        }
        return Secret.of(value);
    }
}
