package io.opsmcp.notify;

import io.opsmcp.guard.approval.ApprovalEvent;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The {@code notifications:} section of {@code ops-mcp.yaml}: where approval lifecycle events are sent.
 *
 * <pre>
 * notifications:
 *   sinks:
 *     - name: oncall-slack
 *       type: slack                       # webhook | slack | teams
 *       url_env: OPS_MCP_SLACK_WEBHOOK    # url, url_env or url_file (Slack and Teams URLs are credentials)
 *       environments: [prod]              # only approvals in these environments (default: all)
 *       events: [requested, approved, denied, expired]   # default: all but voted
 *     - name: audit-hook
 *       type: webhook
 *       url: https://hooks.example.com/ops-mcp
 *       secret_env: OPS_MCP_WEBHOOK_SECRET   # HMAC-SHA256 key, from the environment or a file only
 *   queue_size: 1000        # events waiting or in delivery; beyond it an event is dropped (and audited)
 *   max_attempts: 4         # per delivery, first try included
 *   initial_backoff: 1s     # doubled after each failed attempt, with jitter, up to max_backoff
 *   max_backoff: 1m
 *   timeout: 10s            # per HTTP attempt
 * </pre>
 *
 * Every rule is checked here, so a bad section fails the start with {@code notifications.<key>: <rule>}. Secrets
 * and URLs never appear in {@link #toString()} or in a message.
 *
 * @param sinks          where events go
 * @param queueSize      events queued plus deliveries in flight, at most
 * @param maxAttempts    attempts per delivery (≥ 1)
 * @param initialBackoff wait after the first failed attempt
 * @param maxBackoff     longest wait between attempts
 * @param timeout        per HTTP attempt, connection included
 */
public record NotificationSettings(
        List<Sink> sinks,
        int queueSize,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration timeout) {

    /** The message format a sink speaks. */
    public enum Format {
        /** JSON body signed with HMAC-SHA256 over timestamp and body ({@link Webhook}). */
        WEBHOOK,
        /** Slack incoming webhook, Block Kit message. */
        SLACK,
        /** Microsoft Teams (Workflows / incoming webhook), message with an Adaptive Card attachment. */
        TEAMS
    }

    /**
     * One destination.
     *
     * @param name         for logs and audit records (never the URL)
     * @param format       the message format
     * @param url          where to POST (https, or http to a loopback host)
     * @param secret       the HMAC key of a webhook sink, if any
     * @param environments approvals in these environments only; empty: all
     * @param events       the lifecycle steps sent
     */
    public record Sink(
            String name,
            Format format,
            URI url,
            Optional<byte[]> secret,
            Set<String> environments,
            Set<ApprovalEvent.Type> events) {
        public Sink {
            environments = Set.copyOf(environments);
            events = Set.copyOf(events);
        }

        /** Whether this sink takes {@code type} for an approval in {@code environment} ({@code null}: none). */
        public boolean routes(ApprovalEvent.Type type, String environment) {
            return events.contains(type) && (environments.isEmpty() || environments.contains(environment));
        }

        @Override
        public String toString() {
            return "Sink[" + name + ", " + format + "]"; // the URL (Slack, Teams) and the secret are credentials
        }
    }

    /** As written in the file; bound by {@link ConfigBinding}, so unknown keys are named. */
    public record File(
            List<SinkFile> sinks,
            Integer queueSize,
            Integer maxAttempts,
            String initialBackoff,
            String maxBackoff,
            String timeout) {}

    /** One sink as written; exactly one of {@code url}, {@code url_env}, {@code url_file}. */
    public record SinkFile(
            String name,
            String type,
            String url,
            String urlEnv,
            String urlFile,
            String secretEnv,
            String secretFile,
            List<String> environments,
            List<String> events) {}

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("^127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$");
    private static final int MIN_SECRET_BYTES = 32;

    /**
     * Reads {@code notifications} from the whole configuration tree.
     *
     * @param env the process environment, for {@code url_env} and {@code secret_env}
     * @return empty when the section is absent or has no sinks
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public static Optional<NotificationSettings> fromConfig(JsonNode tree, Map<String, String> env) {
        JsonNode section = tree == null ? null : tree.path("notifications");
        if (section == null || section.isMissingNode() || section.isNull()) {
            return Optional.empty();
        }
        File file = ConfigBinding.bind(section, "notifications", File.class);
        List<Sink> sinks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<SinkFile> written = file.sinks() == null ? List.of() : file.sinks();
        for (int i = 0; i < written.size(); i++) {
            Sink sink = sink(written.get(i), "notifications.sinks[" + i + "]", env);
            if (!names.add(sink.name())) {
                throw new IllegalArgumentException(
                        "notifications.sinks[" + i + "].name: " + sink.name() + " is used by another sink");
            }
            sinks.add(sink);
        }
        if (sinks.isEmpty()) {
            return Optional.empty();
        }
        int queue = range(file.queueSize(), 1000, 1, 100_000, "notifications.queue_size");
        int attempts = range(file.maxAttempts(), 4, 1, 20, "notifications.max_attempts");
        Duration initial = duration(file.initialBackoff(), "1s", "notifications.initial_backoff");
        Duration max = duration(file.maxBackoff(), "1m", "notifications.max_backoff");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("notifications.max_backoff: must not be shorter than initial_backoff");
        }
        Duration timeout = duration(file.timeout(), "10s", "notifications.timeout");
        return Optional.of(new NotificationSettings(sinks, queue, attempts, initial, max, timeout));
    }

    private static Sink sink(SinkFile f, String at, Map<String, String> env) {
        if (f == null) {
            throw new IllegalArgumentException(at + ": must be a mapping");
        }
        if (f.name() == null || !NAME.matcher(f.name()).matches()) {
            throw new IllegalArgumentException(
                    at + ".name: required, lower-case letters, digits, - and _ (at most 63 characters)");
        }
        Format format;
        try {
            format = Format.valueOf(String.valueOf(f.type()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".type: must be webhook, slack or teams");
        }
        int given = (f.url() != null ? 1 : 0) + (f.urlEnv() != null ? 1 : 0) + (f.urlFile() != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException(at + ": set exactly one of url, url_env, url_file");
        }
        String urlText = f.url() != null
                ? f.url()
                : f.urlEnv() != null
                        ? fromEnv(env, f.urlEnv(), at + ".url_env")
                        : fromFile(f.urlFile(), at + ".url_file");
        URI url = url(urlText.trim(), at + (f.url() != null ? ".url" : f.urlEnv() != null ? ".url_env" : ".url_file"));
        Optional<byte[]> secret = Optional.empty();
        if (f.secretEnv() != null && f.secretFile() != null) {
            throw new IllegalArgumentException(at + ": set at most one of secret_env, secret_file");
        }
        if (f.secretEnv() != null || f.secretFile() != null) {
            if (format != Format.WEBHOOK) {
                throw new IllegalArgumentException(at + ".secret_env: only a webhook sink signs its messages; "
                        + format.name().toLowerCase(Locale.ROOT) + " authenticates by its URL");
            }
            String field = at + (f.secretEnv() != null ? ".secret_env" : ".secret_file");
            String text = f.secretEnv() != null ? fromEnv(env, f.secretEnv(), field) : fromFile(f.secretFile(), field);
            byte[] key = text.strip().getBytes(StandardCharsets.UTF_8);
            if (key.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException(field + ": the secret must be at least " + MIN_SECRET_BYTES
                        + " bytes (for example: openssl rand -hex 32)");
            }
            secret = Optional.of(key);
        }
        Set<ApprovalEvent.Type> events = EnumSet.complementOf(EnumSet.of(ApprovalEvent.Type.VOTED));
        if (f.events() != null) {
            events = EnumSet.noneOf(ApprovalEvent.Type.class);
            for (String e : f.events()) {
                try {
                    events.add(ApprovalEvent.Type.valueOf(String.valueOf(e).toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException(at + ".events: " + e
                            + " is not an event; valid: requested, voted, approved, denied, used, expired");
                }
            }
            if (events.isEmpty()) {
                throw new IllegalArgumentException(at + ".events: must name at least one event");
            }
        }
        return new Sink(
                f.name(),
                format,
                url,
                secret,
                f.environments() == null ? Set.of() : Set.copyOf(f.environments()),
                events);
    }

    private static String fromEnv(Map<String, String> env, String name, String field) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": environment variable " + name + " is not set");
        }
        return value;
    }

    private static String fromFile(String path, String field) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    field + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** https, or http to a loopback host; the value itself is never repeated in the message (it may be a credential). */
    private static URI url(String text, String field) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + ": must be an absolute https URL");
        }
        String host = uri.getHost();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean loopback = "http".equalsIgnoreCase(uri.getScheme())
                && host != null
                && ("localhost".equalsIgnoreCase(host)
                        || "[::1]".equals(host)
                        || IPV4_LOOPBACK.matcher(host).matches());
        if (host == null || !(https || loopback) || uri.getUserInfo() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(field
                    + ": must be an absolute https URL without user info or fragment (http only to a loopback host)");
        }
        return uri;
    }

    private static int range(Integer value, int dflt, int min, int max, String field) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + ": must be between " + min + " and " + max + " (got " + v + ")");
        }
        return v;
    }

    private static Duration duration(String text, String dflt, String field) {
        return Durations.parse(field, text == null ? dflt : text);
    }
}
