package io.opsmcp.tools.aws;

import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builders for the JSON Schemas (draft 2020-12) of the AWS tools. */
final class Schemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

    private Schemas() {
    }

    /** A closed input object schema ({@code additionalProperties: false}). */
    static ObjectNode input(ObjectNode properties, String... required) {
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

    /** Properties with the {@code account} and {@code region} arguments every AWS tool takes. */
    static ObjectNode scoped() {
        ObjectNode p = JSON.objectNode();
        p.set("account", pattern("Configured AWS account name (default: the first configured account).",
                Args.ACCOUNT, 63));
        p.set("region", pattern("AWS region (default: the account's default_region; must be one it allows).",
                Args.REGION, 32));
        return p;
    }

    /** {@link #scoped()} plus {@code cluster} and {@code service}. */
    static ObjectNode service() {
        ObjectNode p = scoped();
        p.set("cluster", pattern("ECS cluster name or ARN.", Args.CLUSTER, 2048));
        p.set("service", pattern("ECS service name or ARN.", Args.SERVICE, 2048));
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

    static ObjectNode integer(String description, int min, int max, Integer fallback) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "integer");
        p.put("description", description);
        p.put("minimum", min);
        p.put("maximum", max);
        if (fallback != null) {
            p.put("default", fallback);
        }
        return p;
    }

    static ObjectNode bool(String description, boolean fallback) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "boolean");
        p.put("description", description);
        p.put("default", fallback);
        return p;
    }

    static ObjectNode text(String description, int maxLength) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "string");
        p.put("description", description);
        p.put("maxLength", maxLength);
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

    /** An open object schema with the listed members required (outputs stay forward compatible). */
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

    static ObjectNode props() {
        return JSON.objectNode();
    }

    /** The output members every AWS tool returns: account, account_id, region. */
    static ObjectNode scopedOutput() {
        ObjectNode p = JSON.objectNode();
        p.set("account", type("string", "configured account name"));
        p.set("account_id", type("string", "12-digit account id"));
        p.set("region", type("string", "region"));
        return p;
    }
}
