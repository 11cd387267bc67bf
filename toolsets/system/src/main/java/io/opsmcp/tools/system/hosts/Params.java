package io.opsmcp.tools.system.hosts;

import java.util.regex.Pattern;

import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.system.config.HostEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Re-validation of tool arguments inside the tools. The gateway already validated them against the input
 * schema; checking again here keeps a tool safe when it is called some other way (defence in depth). The
 * patterns here are the ones the schemas publish.
 */
public final class Params {

    public static final String HOST_PATTERN = HostEntry.NAME_PATTERN;
    /** systemd unit names (systemd.unit(5) allows these characters), never starting with '-'. */
    public static final String UNIT_PATTERN = "^[A-Za-z0-9@._:][A-Za-z0-9@._:-]{0,255}$";

    private Params() {
    }

    public static String host(ObjectNode args) {
        return string(args, "host", Pattern.compile(HOST_PATTERN), true);
    }

    /**
     * @return the string argument, or {@code null} when it is absent and optional
     * @throws ToolException INVALID_ARGUMENT naming the field and the rule
     */
    public static String string(ObjectNode args, String field, Pattern pattern, boolean required) {
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
        if (!pattern.matcher(value).matches()) {
            throw invalid(field, "must match " + pattern.pattern());
        }
        return value;
    }

    public static int integer(ObjectNode args, String field, int min, int max, int fallback) {
        JsonNode node = args == null ? null : args.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw invalid(field, "must be an integer " + min + ".." + max);
        }
        int value = node.intValue();
        if (value < min || value > max) {
            throw invalid(field, "must be " + min + ".." + max);
        }
        return value;
    }

    public static ToolException invalid(String field, String rule) {
        return new ToolException(Kind.INVALID_ARGUMENT, field + ": " + rule);
    }

    /**
     * The {@code dry_run} argument (absent means {@code false}).
     *
     * @throws ToolException INVALID_ARGUMENT when it is not a boolean
     */
    public static boolean dryRun(ObjectNode args) {
        JsonNode node = args == null ? null : args.get("dry_run");
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid("dry_run", "must be true or false");
        }
        return node.booleanValue();
    }
}
