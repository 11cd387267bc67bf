package io.opsmcp.tools.system.hosts;

import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builders for the JSON Schemas (draft 2020-12) of the host tools. */
final class Schemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

    private Schemas() {
    }

    /** A closed object schema ({@code additionalProperties: false}). */
    static ObjectNode object(ObjectNode properties, String... required) {
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", DRAFT);
        schema.put("type", "object");
        schema.set("properties", properties);
        ArrayNode req = schema.putArray("required");
        for (String r : required) {
            req.add(r);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    static ObjectNode properties() {
        return JSON.objectNode();
    }

    /** The {@code host} argument every host tool takes. */
    static ObjectNode host() {
        return pattern("Name of a configured host (see host_list).", Params.HOST_PATTERN, 63);
    }

    static ObjectNode pattern(String description, String pattern, int maxLength) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "string");
        p.put("description", description);
        p.put("pattern", pattern);
        p.put("minLength", 1);
        p.put("maxLength", maxLength);
        return p;
    }

    static ObjectNode integer(String description, int min, int max, int fallback) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "integer");
        p.put("description", description);
        p.put("minimum", min);
        p.put("maximum", max);
        p.put("default", fallback);
        return p;
    }

    static ObjectNode enumeration(String description, List<String> values, String fallback) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "string");
        p.put("description", description);
        ArrayNode e = p.putArray("enum");
        values.forEach(e::add);
        p.put("default", fallback);
        return p;
    }

    static ObjectNode type(String type, String description) {
        ObjectNode p = JSON.objectNode();
        p.put("type", type);
        p.put("description", description);
        return p;
    }

    /** A type that may also be {@code null} (a value the host did not report). */
    static ObjectNode nullable(String type, String description) {
        ObjectNode p = JSON.objectNode();
        p.putArray("type").add(type).add("null");
        p.put("description", description);
        return p;
    }

    static ObjectNode arrayOf(ObjectNode items, String description) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "array");
        p.put("description", description);
        p.set("items", items);
        return p;
    }

    /** An output object schema: open for forward compatibility, with the listed members required. */
    static ObjectNode output(ObjectNode properties, String... required) {
        ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        schema.set("properties", properties);
        ArrayNode req = schema.putArray("required");
        for (String r : required) {
            req.add(r);
        }
        return schema;
    }
}
