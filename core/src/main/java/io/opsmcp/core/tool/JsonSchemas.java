package io.opsmcp.core.tool;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Small factories for the JSON Schemas (draft 2020-12, https://json-schema.org/draft/2020-12) that tools publish
 * in {@link ToolDefinition}. Each call returns a new mutable {@link ObjectNode}; keywords are written in a fixed
 * order ({@code type}, {@code description}, then the rules) so published schemas read the same everywhere.
 *
 * <p>The gateway validates arguments with networknt json-schema-validator, which cannot combine a {@code type}
 * list with numeric rules such as {@code minimum}: a value of two types with rules takes an {@code anyOf} with
 * one branch per type instead (built by the caller).
 */
public final class JsonSchemas {

    /**
     * The dialect of every schema tools publish. It is not written into the schemas: MCP (2025-11-25) reads a
     * schema without {@code $schema} as draft 2020-12, and the URI would cost every tool 50 bytes of context.
     */
    public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonSchemas() {}

    /** An empty {@code properties} object to fill with {@code set(name, schema)}. */
    public static ObjectNode properties() {
        return JSON.objectNode();
    }

    /**
     * A tool's input schema: a closed object ({@code additionalProperties: false}, so a misspelt argument is an
     * error rather than silently ignored), in the dialect {@link #DRAFT} without naming it.
     *
     * @param properties the argument schemas by name
     * @param required   names of the required arguments, in the order given ({@code []} when none)
     */
    public static ObjectNode input(ObjectNode properties, String... required) {
        ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        schema.set("properties", properties);
        required(schema, required);
        schema.put("additionalProperties", false);
        return schema;
    }

    /**
     * An output (or nested result) object schema: open, so members added later do not break clients that
     * validate, with the listed members required.
     *
     * @param properties the member schemas by name
     * @param required   names of the members always present, in the order given ({@code []} when none)
     */
    public static ObjectNode output(ObjectNode properties, String... required) {
        ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        schema.set("properties", properties);
        required(schema, required);
        return schema;
    }

    /** {@code {type, description}}: a value of one JSON type ({@code string}, {@code integer}, {@code object}, …). */
    public static ObjectNode type(String type, String description) {
        ObjectNode p = JSON.objectNode();
        p.put("type", type);
        p.put("description", description);
        return p;
    }

    /**
     * A string of 1 to {@code maxLength} characters matching {@code pattern} (ECMA 262 regex; JSON Schema does not
     * anchor it, so the pattern carries its own {@code ^…$}).
     */
    public static ObjectNode pattern(String description, String pattern, int maxLength) {
        ObjectNode p = type("string", description);
        p.put("pattern", pattern);
        p.put("minLength", 1);
        p.put("maxLength", maxLength);
        return p;
    }

    /** Free text of at most {@code maxLength} characters; may be empty. */
    public static ObjectNode text(String description, int maxLength) {
        ObjectNode p = type("string", description);
        p.put("maxLength", maxLength);
        return p;
    }

    /** Free text of 1 to {@code maxLength} characters. */
    public static ObjectNode nonEmptyText(String description, int maxLength) {
        ObjectNode p = type("string", description);
        p.put("minLength", 1);
        p.put("maxLength", maxLength);
        return p;
    }

    /** A whole number of at least {@code min} (e.g. an id, {@code min} 1). */
    public static ObjectNode integer(String description, int min) {
        ObjectNode p = type("integer", description);
        p.put("minimum", min);
        return p;
    }

    /**
     * A whole number in {@code [min, max]}.
     *
     * @param fallback the advertised {@code default}, or {@code null} for none
     */
    public static ObjectNode integer(String description, int min, int max, Integer fallback) {
        ObjectNode p = integer(description, min);
        p.put("maximum", max);
        if (fallback != null) {
            p.put("default", fallback);
        }
        return p;
    }

    /** A boolean with its advertised {@code default}. */
    public static ObjectNode bool(String description, boolean fallback) {
        ObjectNode p = type("boolean", description);
        p.put("default", fallback);
        return p;
    }

    /** A string that is one of {@code values}, without a default. */
    public static ObjectNode enumeration(String description, List<String> values) {
        return enumeration(description, values, null);
    }

    /**
     * A string that is one of {@code values}.
     *
     * @param fallback the advertised {@code default}, or {@code null} for none
     */
    public static ObjectNode enumeration(String description, List<String> values, String fallback) {
        ObjectNode p = type("string", description);
        ArrayNode e = p.putArray("enum");
        values.forEach(e::add);
        if (fallback != null) {
            p.put("default", fallback);
        }
        return p;
    }

    /** An array whose every element matches {@code items}. */
    public static ObjectNode arrayOf(ObjectNode items, String description) {
        ObjectNode p = type("array", description);
        p.set("items", items);
        return p;
    }

    private static void required(ObjectNode schema, String... names) {
        ArrayNode req = schema.putArray("required");
        for (String name : names) {
            req.add(name);
        }
    }
}
