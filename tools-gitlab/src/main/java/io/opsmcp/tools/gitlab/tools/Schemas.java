package io.opsmcp.tools.gitlab.tools;

import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builders for the JSON Schemas (draft 2020-12) of the GitLab tools. */
final class Schemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

    private Schemas() {
    }

    /** A closed input object schema. */
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

    /** {@code project}: a path such as {@code shop/checkout} or a numeric project id. */
    static ObjectNode project() {
        // anyOf rather than "type": [string, integer]: the schema validator (networknt 3.0) cannot combine a type
        // list with "minimum", and each branch then carries only the rules that apply to it.
        ObjectNode p = JSON.objectNode();
        p.put("description", "Project path (e.g. shop/checkout) or numeric project id.");
        var anyOf = p.putArray("anyOf");
        ObjectNode path = anyOf.addObject();
        path.put("type", "string");
        path.put("pattern", Params.PROJECT_PATTERN);
        path.put("minLength", 1);
        path.put("maxLength", 255);
        ObjectNode id = anyOf.addObject();
        id.put("type", "integer");
        id.put("minimum", 1);
        return p;
    }

    /** {@code instance}: optional when one instance is configured or the project path picks one. */
    static ObjectNode instance() {
        return pattern("Configured GitLab instance name; needed only when several instances could hold the project.",
                Params.INSTANCE_PATTERN, 63);
    }

    static ObjectNode id(String description) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "integer");
        p.put("description", description);
        p.put("minimum", 1);
        return p;
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

    static ObjectNode text(String description, int maxLength) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "string");
        p.put("description", description);
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

    static ObjectNode bool(String description, boolean fallback) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "boolean");
        p.put("description", description);
        p.put("default", fallback);
        return p;
    }

    static ObjectNode dryRun() {
        return bool("Only preview: return what would change and send nothing to GitLab.", false);
    }

    static ObjectNode enumeration(String description, List<String> values) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "string");
        p.put("description", description);
        ArrayNode e = p.putArray("enum");
        values.forEach(e::add);
        return p;
    }

    /** An open output schema with the listed members required (each described as an object or array member). */
    static ObjectNode output(String... required) {
        ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        ObjectNode props = schema.putObject("properties");
        props.putObject("instance").put("type", "string");
        props.putObject("project").put("type", "string");
        ArrayNode req = schema.putArray("required");
        req.add("instance").add("project");
        for (String r : required) {
            req.add(r);
        }
        return schema;
    }
}
