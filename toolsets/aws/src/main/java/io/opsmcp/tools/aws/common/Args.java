package io.opsmcp.tools.aws.common;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.config.AwsConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Re-validation of tool arguments inside the tools (the gateway validated them against the input schema
 * already; this keeps a tool safe when called another way). The patterns are the ones the schemas publish.
 * Shared by every tool family of the toolset; {@link io.opsmcp.tools.aws.api.AwsAccess} publishes the patterns
 * and readers other modules need.
 */
public final class Args {

    public static final String ACCOUNT = AwsConfig.NAME_PATTERN;
    public static final String REGION = AwsConfig.REGION_PATTERN;
    /** ECS cluster names and ARNs (names: up to 255 letters, digits, hyphens, underscores). */
    public static final String CLUSTER = "^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$";
    public static final String SERVICE = "^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/[A-Za-z0-9_/-]{1,512})$";
    /** family, family:revision or a task definition ARN. */
    public static final String TASK_DEFINITION = "^([A-Za-z0-9_-]{1,255}(:[0-9]{1,9})?"
            + "|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/[A-Za-z0-9_-]{1,255}:[0-9]{1,9})$";
    public static final String CONTAINER = "^[A-Za-z0-9_-]{1,255}$";
    /** A relative time ({@code 30m}, {@code 2h}, {@code 1d}) or an ISO-8601 instant. */
    public static final String SINCE = "^([0-9]{1,5}[smhd]|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))$";
    private static final Pattern RELATIVE = Pattern.compile("^([0-9]{1,5})([smhd])$");

    private Args() {
    }

    /** The required {@code cluster} argument (name or ARN); INVALID_ARGUMENT naming the field otherwise. */
    public static String cluster(ObjectNode args) {
        return string(args, "cluster", CLUSTER, true);
    }

    /** The required {@code service} argument (name or ARN); INVALID_ARGUMENT naming the field otherwise. */
    public static String service(ObjectNode args) {
        return string(args, "service", SERVICE, true);
    }

    /**
     * @return the string argument, or {@code null} when absent and optional
     * @throws ToolException INVALID_ARGUMENT naming the field and the rule
     */
    public static String string(ObjectNode args, String field, String pattern, boolean required) {
        JsonNode node = args == null ? null : args.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid(field, "is required");
            }
            return null;
        }
        if (!node.isString()) {
            throw invalid(field, "must be a string");
        }
        String value = node.asString();
        if (!Pattern.compile(pattern).matcher(value).matches()) {
            throw invalid(field, "must match " + pattern);
        }
        return value;
    }

    /** An optional free-text argument up to {@code maxLength} characters. */
    public static String text(ObjectNode args, String field, int maxLength) {
        JsonNode node = args == null ? null : args.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() || node.asString().length() > maxLength) {
            throw invalid(field, "must be a string of at most " + maxLength + " characters");
        }
        return node.asString();
    }

    public static int integer(ObjectNode args, String field, int min, int max, Integer fallback) {
        JsonNode node = args == null ? null : args.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw invalid(field, "is required");
            }
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw invalid(field, "must be an integer " + min + ".." + max);
        }
        int value = node.intValue();
        if (value < min || value > max) {
            throw invalid(field, "must be " + min + ".." + max + ", not " + value);
        }
        return value;
    }

    public static Integer optionalInteger(ObjectNode args, String field, int min, int max) {
        JsonNode node = args == null ? null : args.get(field);
        return node == null || node.isNull() ? null : integer(args, field, min, max, null);
    }

    public static boolean bool(ObjectNode args, String field, boolean fallback) {
        JsonNode node = args == null ? null : args.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw invalid(field, "must be true or false");
        }
        return node.booleanValue();
    }

    /**
     * The {@code since} argument: {@code 90s}, {@code 30m}, {@code 6h}, {@code 2d} before {@code now}, or an
     * ISO-8601 instant; never after now and never more than {@code maxAge} ago.
     */
    public static Instant since(ObjectNode args, Instant now, Duration fallback, Duration maxAge) {
        String raw = string(args, "since", SINCE, false);
        Instant since;
        if (raw == null) {
            since = now.minus(fallback);
        } else {
            Matcher m = RELATIVE.matcher(raw);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                since = now.minus(d);
            } else {
                try {
                    since = java.time.OffsetDateTime.parse(raw).toInstant();
                } catch (DateTimeParseException e) {
                    throw invalid("since", "must be like 30m, 6h, 2d or an ISO-8601 time with offset");
                }
            }
        }
        if (since.isAfter(now)) {
            throw invalid("since", "must not be in the future");
        }
        Instant oldest = now.minus(maxAge);
        return since.isBefore(oldest) ? oldest : since;
    }

    public static ToolException invalid(String field, String rule) {
        return new ToolException(Kind.INVALID_ARGUMENT, field + ": " + rule);
    }
}
