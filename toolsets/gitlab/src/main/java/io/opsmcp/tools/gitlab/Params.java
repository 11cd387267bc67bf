package io.opsmcp.tools.gitlab;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argument readers. The gateway validated the arguments against the schema already; these checks repeat the
 * rules so a tool is safe when called directly, and give errors that name the argument.
 */
public final class Params {

    /** A numeric id, or a namespace path of 2..20 segments (GitLab path characters). */
    public static final String PROJECT_PATTERN =
            "^(?:[1-9][0-9]{0,11}|[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*){1,19})$";
    public static final String INSTANCE_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";
    /** A branch, tag or commit sha (git check-ref-format rules that matter here: no '..', no leading '-'). */
    public static final String REF_PATTERN = "^(?!-)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/+@-]{1,255}(?<![/.])$";
    /** {@code 30min}, {@code 2h}, {@code 3d} ago, an ISO date or an ISO date-time with offset. */
    public static final String SINCE_PATTERN = "^(?:\\d{1,5}(?:min|h|d)|\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:\\d{2}))?)$";

    private static final Pattern PROJECT = Pattern.compile(PROJECT_PATTERN);
    private static final Pattern INSTANCE = Pattern.compile(INSTANCE_PATTERN);
    private static final Pattern REF = Pattern.compile(REF_PATTERN);
    private static final Pattern SINCE = Pattern.compile(SINCE_PATTERN);
    private static final Pattern RELATIVE = Pattern.compile("^(\\d{1,5})(min|h|d)$");

    private Params() {
    }

    public static ToolException invalid(String name, String rule) {
        return new ToolException(Kind.INVALID_ARGUMENT, name + ": " + rule);
    }

    /** {@code project} as a path or a numeric id (string or integer). */
    public static String project(ObjectNode args) {
        JsonNode v = args.get("project");
        if (v != null && v.isIntegralNumber() && v.asLong() > 0) {
            return Long.toString(v.asLong());
        }
        if (v == null || !v.isString() || !PROJECT.matcher(v.asString()).matches()) {
            throw invalid("project", "must be a project path like shop/checkout or a numeric project id");
        }
        return v.asString();
    }

    public static String instance(ObjectNode args) {
        return string(args, "instance", INSTANCE, false);
    }

    public static String ref(ObjectNode args, String name, boolean required) {
        return string(args, name, REF, required);
    }

    public static String string(ObjectNode args, String name, Pattern pattern, boolean required) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid(name, "is required");
            }
            return null;
        }
        if (!v.isString() || !pattern.matcher(v.asString()).matches()) {
            throw invalid(name, "must match " + pattern.pattern());
        }
        return v.asString();
    }

    /** Free text of at most {@code maxLength} characters. */
    public static String text(ObjectNode args, String name, int maxLength, boolean required) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid(name, "is required");
            }
            return null;
        }
        if (!v.isString() || v.asString().isBlank() || v.asString().length() > maxLength) {
            throw invalid(name, "must be a non-empty string of at most " + maxLength + " characters");
        }
        return v.asString();
    }

    public static long id(ObjectNode args, String name) {
        JsonNode v = args.get(name);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 1) {
            throw invalid(name, "must be a positive integer");
        }
        return v.asLong();
    }

    public static int integer(ObjectNode args, String name, int min, int max, int fallback) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw invalid(name, "must be an integer " + min + ".." + max);
        }
        return v.asInt();
    }

    public static boolean bool(ObjectNode args, String name) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw invalid(name, "must be true or false");
        }
        return v.asBoolean();
    }

    public static String oneOf(ObjectNode args, String name, java.util.List<String> values) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString() || !values.contains(v.asString())) {
            throw invalid(name, "must be one of " + values);
        }
        return v.asString();
    }

    /** {@code since} as an instant: {@code 30min}/{@code 2h}/{@code 3d} ago, a date (UTC midnight), or a date-time. */
    public static Instant since(ObjectNode args, Clock clock) {
        String s = string(args, "since", SINCE, false);
        if (s == null) {
            return null;
        }
        Matcher m = RELATIVE.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(d);
        }
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("since", "is not a valid date or date-time: " + s);
        }
    }
}
