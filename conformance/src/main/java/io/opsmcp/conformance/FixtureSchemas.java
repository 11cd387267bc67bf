package io.opsmcp.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schemas used by the conformance fixtures: the forms the elicitation tools send (MCP elicitation
 * "requestedSchema", SEP-1034 defaults and SEP-1330 enum variants) and a tool input schema with JSON Schema
 * 2020-12 keywords (SEP-1613) that must reach clients unchanged.
 */
final class FixtureSchemas {

    static final String MESSAGE_DEFAULTS = "Test client default value handling - please accept with defaults";
    static final String MESSAGE_ENUMS = "Test client enum schema handling - please choose options";

    private FixtureSchemas() {}

    /** A form asking for a username and an email address, both required. */
    static Map<String, Object> usernameAndEmail() {
        return form(
                props(
                        "username", Map.of("type", "string", "description", "User's response"),
                        "email", Map.of("type", "string", "description", "User's email address")),
                List.of("username", "email"));
    }

    /** One optional field per primitive type, each with a default (SEP-1034). */
    static Map<String, Object> withDefaults() {
        return form(
                props(
                        "name", Map.of("type", "string", "description", "User name", "default", "John Doe"),
                        "age", Map.of("type", "integer", "description", "User age", "default", 30),
                        "score", Map.of("type", "number", "description", "User score", "default", 95.5),
                        "status",
                                Map.of(
                                        "type",
                                        "string",
                                        "description",
                                        "User status",
                                        "enum",
                                        List.of("active", "inactive", "pending"),
                                        "default",
                                        "active"),
                        "verified", Map.of("type", "boolean", "description", "Verification status", "default", true)),
                List.of());
    }

    /** The five enum shapes of SEP-1330: untitled, titled (oneOf), legacy enumNames, and two multi-selects. */
    static Map<String, Object> enumVariants() {
        return form(
                props(
                        "untitledSingle",
                                Map.of(
                                        "type",
                                        "string",
                                        "description",
                                        "Untitled single-select",
                                        "enum",
                                        List.of("option1", "option2", "option3")),
                        "titledSingle",
                                Map.of(
                                        "type",
                                        "string",
                                        "description",
                                        "Titled single-select",
                                        "oneOf",
                                        List.of(
                                                titled("value1", "First Option"),
                                                titled("value2", "Second Option"),
                                                titled("value3", "Third Option"))),
                        "legacyEnum",
                                Map.of(
                                        "type",
                                        "string",
                                        "description",
                                        "Legacy titled enum",
                                        "enum",
                                        List.of("opt1", "opt2", "opt3"),
                                        "enumNames",
                                        List.of("Option One", "Option Two", "Option Three")),
                        "untitledMulti",
                                Map.of(
                                        "type",
                                        "array",
                                        "description",
                                        "Untitled multi-select",
                                        "items",
                                        Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))),
                        "titledMulti",
                                Map.of(
                                        "type",
                                        "array",
                                        "description",
                                        "Titled multi-select",
                                        "items",
                                        Map.of(
                                                "anyOf",
                                                List.of(
                                                        titled("value1", "First Choice"),
                                                        titled("value2", "Second Choice"),
                                                        titled("value3", "Third Choice"))))),
                List.of());
    }

    /** An input schema using {@code $schema}, {@code $defs}, {@code $ref} and {@code additionalProperties}. */
    static Map<String, Object> jsonSchema202012() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("type", "object");
        schema.put(
                "$defs",
                Map.of(
                        "address",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                props(
                                        "street", Map.of("type", "string"),
                                        "city", Map.of("type", "string")))));
        schema.put(
                "properties",
                props(
                        "name", Map.of("type", "string"),
                        "address", Map.of("$ref", "#/$defs/address")));
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> titled(String value, String title) {
        return Map.of("const", value, "title", title);
    }

    private static Map<String, Object> form(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    /** Properties in declaration order (name, schema, name, schema, ...). */
    private static Map<String, Object> props(Object... nameThenSchema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            properties.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
        }
        return properties;
    }
}
