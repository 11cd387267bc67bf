package io.opsmcp.tools.aws.metrics;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.toolkit.ArgSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code dimensions} argument of the CloudWatch tools ({@code cloudwatch_metric}, {@code cloudwatch_alarms}):
 * an object of dimension name → value, e.g. {@code {"ClusterName": "shop", "ServiceName": "checkout"}}. Limits
 * from the CloudWatch API reference ({@code Dimension}): at most 30 dimensions, names 1–255 and values 1–1024
 * characters; control characters are refused.
 */
public final class Dimensions {

    static final int MAX_DIMENSIONS = 30;
    private static final Pattern PRINTABLE = Pattern.compile("^[^\\p{Cntrl}]+$");

    private Dimensions() {}

    /** The declaration: published as an object schema, read by {@link #read}. */
    public static ArgSpec<JsonNode> spec(String description) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        schema.put("description", description);
        schema.put("maxProperties", MAX_DIMENSIONS);
        schema.putObject("additionalProperties").put("type", "string").put("maxLength", 1024);
        return ArgSpec.json("dimensions", schema);
    }

    /**
     * The dimensions given (name → value, in the order given); empty when absent.
     *
     * @throws ToolException INVALID_ARGUMENT naming the dimension and the rule it breaks
     */
    public static Map<String, String> read(ArgSpec<JsonNode> spec, ObjectNode args) {
        JsonNode node = spec.read(args);
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw invalid("dimensions: must be an object of dimension name to value");
        }
        if (node.size() > MAX_DIMENSIONS) {
            throw invalid("dimensions: must have at most " + MAX_DIMENSIONS + " dimensions");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            if (name.isEmpty()
                    || name.length() > 255
                    || !PRINTABLE.matcher(name).matches()) {
                throw invalid("dimensions: a name must be 1..255 printable characters");
            }
            JsonNode v = e.getValue();
            if (!v.isString()
                    || v.asString().isEmpty()
                    || v.asString().length() > 1024
                    || !PRINTABLE.matcher(v.asString()).matches()) {
                throw invalid("dimensions." + name + ": must be a string of 1..1024 printable characters");
            }
            out.put(name, v.asString());
        }
        return out;
    }

    private static ToolException invalid(String message) {
        return new ToolException(ToolException.Kind.INVALID_ARGUMENT, message);
    }
}
