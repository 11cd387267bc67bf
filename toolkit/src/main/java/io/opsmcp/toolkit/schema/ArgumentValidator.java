package io.opsmcp.toolkit.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Validates tool arguments against the tool's input JSON Schema (draft 2020-12, networknt
 * json-schema-validator) and turns violations into messages that name the argument and the rule, e.g.
 * {@code unit: does not match the regex pattern ^[A-Za-z0-9@._:-]+$ (rule: pattern)}. The gateway validates every
 * call with it, and {@code toolkit-testing}'s harness validates test calls with the same class.
 */
public final class ArgumentValidator {

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /**
     * Compiles and keeps a tool's schema; called once per tool at start.
     *
     * @throws IllegalArgumentException when the schema itself is invalid
     */
    public void register(String tool, JsonNode inputSchema) {
        try {
            schemas.put(tool, registry.getSchema(inputSchema));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tool " + tool + ": invalid input schema: " + e.getMessage(), e);
        }
    }

    /** Returns one message per violation, empty when the arguments are valid. */
    public List<String> validate(String tool, JsonNode args) {
        Schema schema = schemas.get(tool);
        if (schema == null) {
            throw new IllegalStateException("no schema registered for tool " + tool);
        }
        List<String> messages = new ArrayList<>();
        for (Error error : schema.validate(args)) {
            messages.add(describe(error));
        }
        return messages;
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation().toString();
        String field = location.equals("$") ? "" : location.startsWith("$.") ? location.substring(2) : location;
        String keyword = error.getKeyword();
        String message = error.getMessage();
        // networknt prefixes messages with the instance location; we print the field name our own way.
        if (message.startsWith(location + ": ")) {
            message = message.substring(location.length() + 2);
        }
        if ("required".equals(keyword) && error.getProperty() != null) {
            return join(field, error.getProperty()) + ": is required (rule: required)";
        }
        if ("additionalProperties".equals(keyword) && error.getProperty() != null) {
            return join(field, error.getProperty()) + ": is not a parameter of this tool (rule: additionalProperties)";
        }
        return (field.isEmpty() ? "arguments" : field) + ": " + message
                + (keyword == null ? "" : " (rule: " + keyword + ")");
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
