package io.opsmcp.tools.aws.common;

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

    public static ToolException invalid(String field, String rule) {
        return new ToolException(Kind.INVALID_ARGUMENT, field + ": " + rule);
    }
}
